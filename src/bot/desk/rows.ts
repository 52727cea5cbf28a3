/**
 * Outbox rows: everything the desk sends is first written as one of these
 * (src/storage/repositories/outbox.ts), then delivered by the sender. Rows to
 * a case's topic name the case (its thread id is looked up when sending);
 * rows about a user carry them as owner, so /forget deletes them.
 */
import type { Message } from "grammy/types";
import { mayContactUser } from "../../domain/cases/case.ts";
import type { CaseRecord } from "../../storage/repositories/cases.ts";
import type { NewOutboxRow } from "../../storage/repositories/outbox.ts";
import { type DeskEnv, PRIORITY } from "./env.ts";

/** Telegram's limit for a message text. */
export const MAX_TEXT = 4096;
/** Room for a part marker ("(1/3)") and a note. */
const PART_CHARS = 3900;

export const casePriority = (c: Pick<CaseRecord, "priority">) => (c.priority === "urgent" ? PRIORITY.urgent : PRIORITY.normal);

/** Split a long text into parts that fit in a message, at a line or word break where possible. */
export function splitText(text: string, max = PART_CHARS): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    if (cut < max / 2) cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = max;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\s+/, "");
  }
  if (rest) parts.push(rest);
  return parts;
}

export type Rows = ReturnType<typeof createRows>;

export function createRows(env: DeskEnv) {
  const { staffChat, st } = env;
  const t = (c: CaseRecord) => env.deps.translator.t(c.lang);

  function toTopic(c: CaseRecord, kind: NewOutboxRow["kind"], payload: Record<string, unknown>, priority: number = casePriority(c)): NewOutboxRow {
    return { chatId: staffChat, threadCaseId: c.id, caseId: c.id, owner: c.userId, kind, priority, payload, createdAt: env.now() };
  }
  /** a staff-language notice in the case's topic, ahead of relays */
  function notice(c: CaseRecord, key: string, vars?: Record<string, unknown>, priority: number = PRIORITY.urgent): NewOutboxRow {
    return toTopic(c, "text", { text: st(key, vars) }, priority);
  }
  /** the card shown again (payload.keyboard: "outcomes" shows the outcome choice) */
  function cardEdit(c: CaseRecord, payload: Record<string, unknown> = {}): NewOutboxRow {
    return { chatId: staffChat, caseId: c.id, owner: c.userId, kind: "card_edit", priority: PRIORITY.urgent, payload, createdAt: env.now() };
  }
  function topicState(c: CaseRecord, op: "close" | "reopen"): NewOutboxRow {
    return { ...cardEdit(c), kind: "topic_state", payload: { op } };
  }
  function toUser(c: CaseRecord, kind: "text" | "copy", payload: Record<string, unknown>, now: number): NewOutboxRow {
    const may = mayContactUser({ lastUserAt: c.lastUserAt, consent: c.consent }, now);
    return { chatId: c.userId, caseId: c.id, owner: c.userId, kind, priority: casePriority(c), payload, createdAt: now, status: may ? "pending" : "held" };
  }
  function userNotice(c: CaseRecord, key: string, now: number): NewOutboxRow {
    return toUser(c, "text", { text: t(c)(key) }, now);
  }
  /** a message in the staff group outside any topic (General), e.g. a reply to /cases there */
  function toGroup(payload: Record<string, unknown>, priority: number = PRIORITY.urgent, caseId?: number, owner?: number): NewOutboxRow {
    return { chatId: staffChat, ...(caseId !== undefined ? { caseId } : {}), ...(owner !== undefined ? { owner } : {}), kind: "text", priority, payload, createdAt: env.now() };
  }

  /**
   * The user's message (new or edited) as relays into the case's topic. A text
   * too long for one message (an edit adds a marker) goes in parts, each saying so.
   */
  function relay(c: CaseRecord, msg: Message, edited: boolean, opts: { blocked?: boolean } = {}): NewOutboxRow[] {
    const text = msg.text ?? (edited ? msg.caption : undefined);
    const mark = (s: string) => (opts.blocked ? `${st("desk:staff.from_blocked")}\n${s}` : s);
    if (text === undefined) {
      const rows = [toTopic(c, "copy", { from_chat_id: msg.chat.id, message_id: msg.message_id })];
      return opts.blocked ? [notice(c, "desk:staff.from_blocked"), ...rows] : rows;
    }
    const parts = splitText(text);
    return parts.map((part, i) => {
      let s = parts.length > 1 ? `${st("desk:staff.part", { i: i + 1, n: parts.length })}\n${part}` : part;
      if (edited) s = st("desk:staff.edited", { text: s });
      s = mark(s);
      return toTopic(c, "text", { text: s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s, merge: true });
    });
  }

  /** the "urgent now" board looks again when sent (board.ts): queued with whatever may change its list */
  function board(): NewOutboxRow {
    return { chatId: staffChat, kind: "board", priority: PRIORITY.board, payload: {}, createdAt: env.now() };
  }

  return { toTopic, notice, cardEdit, topicState, toUser, userNotice, toGroup, relay, board };
}
