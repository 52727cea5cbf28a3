/**
 * The staff group: buttons on the case cards, the staff commands, and staff
 * messages in a case's topic (copied to the user). Nothing else runs in the
 * staff group, and nothing here answers anyone who is not a member of it.
 */
import { Composer, type InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import type { CaseRecord } from "../../storage/repositories/cases.ts";
import type { BotContext } from "../context.ts";
import { type StaffAccess, staffName } from "./access.ts";
import { barChartPng } from "./chart.ts";
import { type DeskEnv, PRIORITY } from "./env.ts";
import { parseFollowUp } from "./followup.ts";
import { READY_ANSWERS } from "./ready.ts";
import {
  ageText,
  type CardRenderer,
  DESK_ACTION_RE,
  DESK_OUTCOME_RE,
  DESK_SEND_RE,
  DESK_SHOW_RE,
  formatTime,
  isOutcome,
  outcomeKeyboard,
  outcomeName,
  prio,
  readyKeyboard,
  signalName,
  statusText,
  topicLink,
} from "./render.ts";
import { casesCsv, computeStats, type Stats } from "./report.ts";
import type { Rows } from "./rows.ts";
import type { CaseService } from "./service.ts";
import { commandNames } from "../commands.ts";

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

/**
 * A reply to a staff command: in the topic it was written in, or in General.
 * `about`: the case the reply shows (its card), so the row is deleted with the user (/forget).
 */
export function staffReply(env: DeskEnv, ctx: BotContext, text: string, reply_markup?: InlineKeyboard, about?: { id: number; userId: number }): Promise<void> {
  const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  return env.deps.repos.outbox
    .enqueue([
      {
        chatId: env.staffChat,
        ...(about ? { caseId: about.id, owner: about.userId } : {}),
        kind: "text",
        priority: PRIORITY.urgent,
        payload: { text, ...(thread ? { thread } : {}), ...(reply_markup ? { reply_markup } : {}) },
        createdAt: env.now(),
      },
    ])
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
      // Numbers are never reused: a card of a deleted case (/forget, retention) acts on nothing.
      await ctx.answerCallbackQuery(action ? { text: st("desk:staff.toast_gone", { id: Number(ctx.match[2]) }) } : undefined);
      return;
    }
    if (action === "resolve" && c.status !== "resolved") {
      // Resolving asks how the case ended (an outcome is required; "other" is one).
      await repos.outbox.enqueue([rows.toTopic(c, "text", { text: st("desk:staff.outcome_question", { id: c.id }), reply_markup: outcomeKeyboard(st, c.id) }, PRIORITY.urgent)]);
      env.kick();
      await ctx.answerCallbackQuery({ text: st("desk:staff.toast_choose_outcome") });
      return;
    }
    const toast = await cases.act(c, action, { id: ctx.from.id, name: staffName(ctx) });
    await ctx.answerCallbackQuery({ text: toast });
  });

  // The board's Show button: the case in a toast (free: a toast is not a group message).
  inStaff.callbackQuery(DESK_SHOW_RE, async (ctx) => {
    if (!(await access.mayRead(ctx))) {
      await ctx.answerCallbackQuery();
      return;
    }
    const id = Number(ctx.match[1]);
    const c = await repos.cases.get(id);
    if (!c) {
      await ctx.answerCallbackQuery({ text: st("desk:staff.toast_gone", { id }) });
      return;
    }
    const text = st("desk:staff.board_toast", {
      id: c.id,
      prio: prio(st, c),
      status: statusText(st, c.status),
      signals: c.signals.length ? c.signals.map((x) => signalName(st, x)).join(", ") : "—",
      lang: c.lang.toUpperCase(),
      writer: st(`desk:staff.writer_${c.writer}`),
      topic: c.threadId !== null && c.threadId !== 0 ? st("desk:staff.board_toast_topic", { id: c.id }) : st("desk:staff.board_toast_no_topic"),
    });
    await ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true });
  });

  inStaff.callbackQuery(DESK_OUTCOME_RE, async (ctx) => {
    if (!(await access.mayAct(ctx))) {
      await ctx.answerCallbackQuery();
      return;
    }
    const outcome = ctx.match[1] ?? "";
    const c = await repos.cases.get(Number(ctx.match[2]));
    if (!c || !isOutcome(outcome)) {
      await ctx.answerCallbackQuery();
      return;
    }
    const toast = await cases.act(c, "resolve", { id: ctx.from.id, name: staffName(ctx) }, outcome);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.answerCallbackQuery({ text: toast });
  });

  inStaff.callbackQuery(DESK_SEND_RE, async (ctx) => {
    if (!(await access.mayAct(ctx))) {
      await ctx.answerCallbackQuery();
      return;
    }
    const c = await repos.cases.get(Number(ctx.match[2]));
    if (!c) {
      await ctx.answerCallbackQuery();
      return;
    }
    const toast = await cases.sendReady(c, ctx.match[1] ?? "", { id: ctx.from.id, name: staffName(ctx) });
    await ctx.answerCallbackQuery({ text: toast });
  });

  inStaff.command(commandNames("cases"), async (ctx) => {
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
    const follow = await repos.cases.withFollowUps(20);
    const due = follow.filter((c) => (c.followUpAt ?? 0) <= at);
    const later = follow.filter((c) => (c.followUpAt ?? 0) > at);
    const fl = [
      ...(due.length ? [st("desk:staff.cases_follow_due", { list: due.map((c) => `#${c.id}`).join(", ") })] : []),
      ...(later.length ? [st("desk:staff.cases_follow_later", { list: later.map((c) => `#${c.id} (${formatTime(c.followUpAt ?? 0, env.timeZone)})`).join(", ") })] : []),
    ];
    await staffReply(env, ctx, fl.length ? `${text}\n\n${fl.join("\n")}` : text);
  });

  inStaff.command(commandNames("send"), async (ctx) => {
    if (!(await access.mayAct(ctx))) return;
    const c = await caseOfTopic(env, ctx);
    if (!c) return staffReply(env, ctx, st("desk:staff.in_topic_only"));
    const name = ctx.match.trim().toLowerCase();
    if (!name) return staffReply(env, ctx, st("desk:staff.send_choose", { id: c.id }), readyKeyboard(st, c.id, READY_ANSWERS));
    const toast = await cases.sendReady(c, name, { id: ctx.from?.id ?? 0, name: staffName(ctx) });
    if (!READY_ANSWERS.includes(name as never)) await staffReply(env, ctx, toast);
  });

  inStaff.command(commandNames("followup"), async (ctx) => {
    if (!(await access.mayAct(ctx))) return;
    const c = await caseOfTopic(env, ctx);
    if (!c) return staffReply(env, ctx, st("desk:staff.in_topic_only"));
    const f = parseFollowUp(ctx.match, env.now(), env.timeZone);
    if (f.kind === "invalid") return staffReply(env, ctx, st("desk:staff.follow_up_usage"));
    await cases.setFollowUp(c, f.kind === "off" ? null : f.at, { id: ctx.from?.id ?? 0, name: staffName(ctx) });
  });

  inStaff.command(commandNames("stats"), async (ctx) => {
    if (!(await access.mayRead(ctx))) return;
    const at = env.now();
    const list = await repos.cases.listForReport(at - 31 * 24 * 3600_000);
    const stats = computeStats(list, at, env.timeZone);
    await staffReply(env, ctx, statsText(stats));
    const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
    await repos.outbox.enqueue([
      {
        chatId: env.staffChat,
        kind: "photo",
        priority: PRIORITY.normal,
        payload: { base64: barChartPng(stats.perDay).toString("base64"), filename: "cases-per-day.png", caption: st("desk:staff.stats_chart_caption", { max: Math.max(...stats.perDay) }), ...(thread ? { thread } : {}) },
        createdAt: at,
      },
    ]);
    env.kick();
  });

  inStaff.command(commandNames("export"), async (ctx) => {
    if (!(await access.mayRead(ctx))) return;
    const at = env.now();
    const csv = casesCsv(await repos.cases.listForReport(0));
    const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
    const day = formatTime(at, env.timeZone).slice(0, 10);
    await repos.outbox.enqueue([
      {
        chatId: env.staffChat,
        kind: "document",
        priority: PRIORITY.normal,
        payload: { base64: Buffer.from(csv, "utf8").toString("base64"), filename: `cases-${day}.csv`, caption: st("desk:staff.export_caption"), ...(thread ? { thread } : {}) },
        createdAt: at,
      },
    ]);
    env.kick();
  });

  function statsText(s: Stats): string {
    const dur = (ms: number) => ageText(st, ms);
    const spread = (x: Stats["claim"]) => (x ? st("desk:staff.stats_spread", { median: dur(x.median), p90: dur(x.p90), n: x.n }) : st("desk:staff.stats_none"));
    const list = (xs: [string, number][], name: (k: string) => string) => (xs.length ? xs.map(([k, n]) => `${name(k)}: ${n}`).join(", ") : st("desk:staff.stats_none"));
    return [
      st("desk:staff.stats_title"),
      st("desk:staff.stats_open", { open: s.open, urgent: s.urgentWaiting }),
      st("desk:staff.stats_opened", { today: s.today, d7: s.days7, d30: s.days30 }),
      st("desk:staff.stats_claim", { spread: spread(s.claim) }),
      st("desk:staff.stats_reply", { spread: spread(s.firstReply) }),
      st("desk:staff.stats_outcomes", { list: list(s.outcomes, (k) => outcomeName(st, k)) }),
      st("desk:staff.stats_signals", { list: list(s.signals, (k) => signalName(st, k)) }),
    ].join("\n");
  }

  inStaff.command(commandNames("case"), async (ctx) => {
    if (!(await access.mayRead(ctx))) return;
    const m = /^#?(\d{1,12})$/.exec(ctx.match.trim());
    if (!m) return staffReply(env, ctx, st("desk:staff.case_usage"));
    const c = await repos.cases.get(Number(m[1]));
    if (!c) return staffReply(env, ctx, st("desk:staff.case_not_found", { id: m[1] }));
    const link = topicLink(env.staffChat, c.threadId);
    const text = await cards.text(c);
    await staffReply(env, ctx, link ? `${text}\n\n${link}` : text, cards.keyboard(c), c);
  });

  inStaff.command(commandNames("note"), async (ctx) => {
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
    // Writing to the user is being active on the case: it is claimed, so the bot stops answering by itself.
    await cases.staffMessage(c, msg.message_id, { id: ctx.from.id, name: staffName(ctx) });
  });

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
