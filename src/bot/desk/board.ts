/**
 * The "urgent now" board: one message in the staff group's General topic that
 * lists the urgent cases nobody has claimed yet (case number, the signals as an
 * anonymised reason, language, when it came; no name and no words of the
 * person), with a Claim and a Show button per case. In a surge each case costs
 * two group messages (topic and card) out of about 20 a minute, so cards come
 * slowly; the board makes every urgent case visible at once, inside the same
 * budget.
 *
 * A board row in the outbox carries nothing: what to do is decided when it is
 * sent, from the cases as they are then and from what the last board showed
 * (its row's stored result). A case the last board did not show: a new board
 * (a new message notifies staff; the old one is deleted). Only cases gone from
 * the list (claimed, resolved, forgotten): the board is edited. Nothing changed:
 * nothing is sent. And not more often than once every BOARD_EVERY_MS, so in a
 * burst several new cases share one board message and the topics and cards get
 * the rest of the group's budget.
 */
import { InlineKeyboard } from "grammy";
import type { CaseRecord } from "../../storage/repositories/cases.ts";
import type { NewOutboxRow, OutboxRow } from "../../storage/repositories/outbox.ts";
import type { DeskEnv } from "./env.ts";
import { PRIORITY } from "./env.ts";
import { DESK_CB, formatTime, signalName } from "./render.ts";
import type { Rows } from "./rows.ts";
import type { Prepared } from "./sender.ts";

/** at most one board message (new or edited) this often */
export const BOARD_EVERY_MS = 4_000;
/** cases listed with buttons (two each; Telegram allows 100); more are counted ("and N more: /cases") */
export const BOARD_MAX = 40;
/** a short reason: the first signals */
const REASON_SIGNALS = 3;

export interface Board {
  /** a board row: queue it with whatever may change the list (it decides when sent) */
  row(): NewOutboxRow;
  prepare(row: OutboxRow): Promise<Prepared>;
  /** queue a board row if the list differs from what the last board showed (the desk's periodic check) */
  reconcile(): Promise<boolean>;
}

interface Shown {
  messageId: number;
  cases: number[];
  sentAt: number;
}

function shownBy(row: OutboxRow): Shown | undefined {
  const r = row.result as { message_id?: unknown; cases?: unknown } | null;
  if (!r || !Array.isArray(r.cases) || typeof r.message_id !== "number") return undefined;
  return { messageId: r.message_id, cases: r.cases.map(Number), sentAt: row.sentAt ?? 0 };
}

export function createBoard(env: DeskEnv, rows: Rows): Board {
  const { st } = env;
  const { repos } = env.deps;

  /** what the staff group shows now: the last board row that sent or edited a message (skipped ones are passed over) */
  async function lastShown(): Promise<Shown | undefined> {
    for (const r of await repos.outbox.recentSent(env.staffChat, "board", 50)) {
      const s = shownBy(r);
      if (s) return s;
    }
    return undefined;
  }

  const row = (): NewOutboxRow => rows.board();

  function text(list: CaseRecord[], more: number): string {
    if (list.length === 0) return st("desk:staff.board_empty");
    const lines = list.map((c) =>
      st("desk:staff.board_line", {
        id: c.id,
        reason: c.signals.length ? c.signals.slice(0, REASON_SIGNALS).map((s) => signalName(st, s)).join(", ") : st("desk:staff.board_no_reason"),
        lang: c.lang.toUpperCase(),
        time: formatTime(c.createdAt, env.timeZone).slice(11),
      }),
    );
    return [st("desk:staff.board_title", { n: list.length + more }), ...lines, ...(more ? [st("desk:staff.board_more", { n: more })] : []), st("desk:staff.board_help")].join("\n");
  }

  function keyboard(list: CaseRecord[]): InlineKeyboard {
    const kb = new InlineKeyboard();
    for (const c of list) kb.text(st("desk:staff.board_claim", { id: c.id }), DESK_CB.claim(c.id)).text(st("desk:staff.board_show", { id: c.id }), DESK_CB.show(c.id)).row();
    return kb;
  }

  async function current(): Promise<{ list: CaseRecord[]; more: number; ids: number[] }> {
    const all = await repos.cases.urgentWaiting(BOARD_MAX + 200);
    const list = all.slice(0, BOARD_MAX);
    return { list, more: all.length - list.length, ids: all.map((c) => c.id) };
  }

  async function prepare(_row: OutboxRow): Promise<Prepared> {
    const shown = await lastShown();
    const { list, more, ids } = await current();
    const before = new Set(shown?.cases ?? []);
    const added = ids.some((id) => !before.has(id));
    const changed = added || ids.length !== before.size;
    if (!changed) return { kind: "skip", reason: "board unchanged" };
    if (!added && !shown) return { kind: "skip", reason: "no board" };
    const at = env.now();
    if (shown && shown.sentAt + BOARD_EVERY_MS > at) return { kind: "later", at: shown.sentAt + BOARD_EVERY_MS };
    const note = { cases: ids };
    const body = text(list, more);
    const reply_markup = keyboard(list);
    if (added || !shown) {
      // New cases: a new message (it notifies); the one it replaces goes.
      return {
        kind: "send",
        method: "sendMessage",
        params: { chat_id: env.staffChat, text: body, reply_markup },
        note,
        followUp: () =>
          shown
            ? [{ chatId: env.staffChat, kind: "topic_state", priority: PRIORITY.board, payload: { op: "delete_message", message_id: shown.messageId }, createdAt: env.now() }]
            : [],
      };
    }
    return {
      kind: "send",
      method: "editMessageText",
      params: { chat_id: env.staffChat, message_id: shown.messageId, text: body, reply_markup },
      note: { ...note, message_id: shown.messageId },
    };
  }

  async function reconcile(): Promise<boolean> {
    const shown = await lastShown();
    const { ids } = await current();
    const before = new Set(shown?.cases ?? []);
    if (ids.length === before.size && ids.every((id) => before.has(id))) return false;
    if (!shown && ids.length === 0) return false;
    await repos.outbox.enqueue([row()]);
    env.kick();
    return true;
  }

  return { row, prepare, reconcile };
}
