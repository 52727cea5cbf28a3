/**
 * The staff group: buttons on the case cards, the staff commands, and staff
 * messages in a case's topic (copied to the user). Nothing else runs in the
 * staff group, and nothing here answers anyone who is not a member of it.
 */
import { Composer, type InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { isOpen, mayContactUser } from "../../domain/cases/case.ts";
import type { AuditEntry } from "../../storage/repositories/audit.ts";
import type { CaseRecord } from "../../storage/repositories/cases.ts";
import type { NewOutboxRow } from "../../storage/repositories/outbox.ts";
import type { BotContext } from "../context.ts";
import { type StaffAccess, staffName } from "./access.ts";
import { type DeskEnv, PRIORITY } from "./env.ts";
import { ageText, type CardRenderer, DESK_ACTION_RE, prio, statusText, topicLink } from "./render.ts";
import type { Rows } from "./rows.ts";
import type { CaseService } from "./service.ts";

export interface StaffParts {
  env: DeskEnv;
  access: StaffAccess;
  cases: CaseService;
  rows: Rows;
  cards: CardRenderer;
}

const ACTIONS = new Map([
  ["c", "claim"],
  ["r", "resolve"],
  ["o", "reopen"],
  ["b", "block"],
] as const);

/** A reply to a staff command: in the topic it was written in, or in General. */
export function staffReply(env: DeskEnv, ctx: BotContext, text: string, reply_markup?: InlineKeyboard): Promise<void> {
  const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  return env.deps.repos.outbox
    .enqueue([{ chatId: env.staffChat, kind: "text", priority: PRIORITY.urgent, payload: { text, ...(thread ? { thread } : {}), ...(reply_markup ? { reply_markup } : {}) }, createdAt: env.now() }])
    .then(() => env.kick());
}

/** The case of the topic a staff message was written in. */
export async function caseOfTopic(env: DeskEnv, ctx: BotContext): Promise<CaseRecord | undefined> {
  const msg = ctx.msg;
  if (!msg?.is_topic_message || !msg.message_thread_id) return undefined;
  return env.deps.repos.cases.byThread(msg.message_thread_id);
}

export function createStaffGroup(p: StaffParts): Composer<BotContext> {
  const { env, access, cases, rows, cards } = p;
  const { st } = env;
  const { repos } = env.deps;

  const inStaff = new Composer<BotContext>();

  inStaff.callbackQuery(DESK_ACTION_RE, async (ctx) => {
    if (!(await access.mayAct(ctx))) {
      await ctx.answerCallbackQuery(); // no sign of anything
      return;
    }
    const action = ACTIONS.get(ctx.match[1] as "c");
    const c = await repos.cases.get(Number(ctx.match[2]));
    if (!c || !action) {
      await ctx.answerCallbackQuery();
      return;
    }
    const toast = await cases.act(c, action, { id: ctx.from.id, name: staffName(ctx) });
    await ctx.answerCallbackQuery({ text: toast });
  });

  inStaff.command("cases", async (ctx) => {
    if (!(await access.mayRead(ctx))) return;
    const list = await repos.cases.listOpen(50);
    const at = env.now();
    const text = list.length
      ? [
          st("desk:staff.cases_title", { n: list.length }),
          ...list.map((c) =>
            st("desk:staff.cases_line", { id: c.id, prio: prio(st, c), status: statusText(st, c.status), lang: c.lang.toUpperCase(), age: ageText(st, at - c.createdAt) }),
          ),
        ].join("\n")
      : st("desk:staff.cases_empty");
    await staffReply(env, ctx, text);
  });

  inStaff.command("case", async (ctx) => {
    if (!(await access.mayRead(ctx))) return;
    const m = /^#?(\d{1,12})$/.exec(ctx.match.trim());
    if (!m) return staffReply(env, ctx, st("desk:staff.case_usage"));
    const c = await repos.cases.get(Number(m[1]));
    if (!c) return staffReply(env, ctx, st("desk:staff.case_not_found", { id: m[1] }));
    const link = topicLink(env.staffChat, c.threadId);
    const text = await cards.text(c);
    await staffReply(env, ctx, link ? `${text}\n\n${link}` : text, cards.keyboard(c));
  });

  inStaff.command("note", async (ctx) => {
    // Internal note: stays in the group. Only the fact is logged, not the text.
    if (!(await access.mayAct(ctx))) return;
    const c = await caseOfTopic(env, ctx);
    await repos.audit.add({ caseId: c?.id ?? null, actorId: ctx.from?.id ?? 0, actorName: staffName(ctx), action: "note", at: env.now() });
  });

  inStaff.on("message", async (ctx) => {
    const msg = ctx.msg;
    if (!msg.is_topic_message || !msg.message_thread_id || ctx.from.is_bot) return;
    if ((msg.text ?? msg.caption ?? "").startsWith("/")) return; // other commands are not relayed
    if (!hasContent(msg) && !msg.poll && !msg.dice) return; // service messages (topic created/closed, pins …)
    const c = await repos.cases.byThread(msg.message_thread_id);
    if (!c) return;
    // Only members' messages reach a user (Telegram delivers no others today, but the check belongs here).
    if (!(await access.mayAct(ctx))) return;
    if (msg.poll || msg.dice) {
      await repos.outbox.enqueue([rows.notice(c, "desk:staff.notice_not_relayed")]);
      env.kick();
      return;
    }
    await staffToUser(ctx, c, msg);
  });

  async function staffToUser(ctx: BotContext, c: CaseRecord, msg: Message): Promise<void> {
    const at = env.now();
    const who = ctx.from?.id ?? 0;
    const name = staffName(ctx);
    if (!isOpen(c.status)) {
      await repos.outbox.enqueue([rows.notice(c, "desk:staff.notice_case_closed")]);
      env.kick();
      return;
    }
    const may = mayContactUser({ lastUserAt: c.lastUserAt, consent: c.consent }, at);
    const out: NewOutboxRow[] = [];
    const patch: Record<string, unknown> = { updated_at: at };
    const audit: AuditEntry[] = [];
    // Writing to the user is being active on the case: it is claimed, so the bot stops answering by itself.
    if (c.status !== "claimed" && may) {
      Object.assign(patch, { status: "claimed", claimed_by: who, claimed_by_name: name });
      out.push(rows.cardEdit(c), rows.userNotice(c, "desk:joined", at));
      audit.push({ caseId: c.id, actorId: who, actorName: name, action: "claim", detail: "by replying", at });
    }
    out.push(rows.toUser(c, "copy", { from_chat_id: env.staffChat, message_id: msg.message_id }, at));
    audit.push({ caseId: c.id, actorId: who, actorName: name, action: may ? "relay" : "relay_held", at });
    if (!may) out.push(rows.notice(c, "desk:staff.notice_held"));
    await repos.cases.update(c.id, patch, { expectStatus: [c.status], outbox: () => out, audit: () => audit });
    env.kick();
  }

  // Nothing else runs in the staff group; any other button gets an empty answer.
  inStaff.on("callback_query", (ctx) => ctx.answerCallbackQuery().catch(() => undefined));

  const staff = new Composer<BotContext>();
  staff.use(async (ctx, next) => {
    if (ctx.chatId !== env.staffChat) return next();
    await inStaff.middleware()(ctx, async () => undefined);
  });
  return staff;
}

function hasContent(m: Message): boolean {
  return Boolean(
    m.text ?? m.photo ?? m.document ?? m.voice ?? m.audio ?? m.video ?? m.video_note ?? m.location ?? m.venue ?? m.sticker ?? m.animation ?? m.contact,
  );
}
