/**
 * The outbox sender: a stoppable setTimeout loop that works through the
 * desk_outbox table, urgent first then oldest first, pacing each chat below
 * Telegram's limits (domain/cases/outbox.ts), merging pending text relays for
 * the same case into one message, and retrying on 429 (after retry_after), on
 * 5xx and on network errors (exponential back-off). It carries on after a
 * restart because everything it needs is in the table.
 *
 * At-least-once, and at most one duplicate: a row is leased (status 'sending',
 * locked_until) before the call and marked sent in the same step that stores
 * what the result changed (a case's topic or card id). Only a crash between
 * Telegram's answer and that write can repeat the one row in flight; topic
 * and card rows are checked against the case (thread_id / card_message_id), so
 * the common restart never creates a second topic or card.
 */
import { GrammyError, HttpError } from "grammy";
import type { Logger } from "../../logger.ts";
import { backoffMs, mergeTexts } from "../../domain/cases/outbox.ts";
import type { CasePatchOnSent, NewOutboxRow, OutboxRepository, OutboxRow } from "../../storage/repositories/outbox.ts";

export type Prepared =
  | {
      kind: "send";
      method: string;
      params: Record<string, unknown>;
      /** what the result changes on the case, written together with "sent" */
      after?: (result: unknown) => CasePatchOnSent | undefined;
      /** what else goes into the row's stored result (what the board showed) */
      note?: Record<string, unknown>;
      /** rows the sent message leads to, queued together with "sent" (the board it replaced is deleted) */
      followUp?: (result: unknown) => NewOutboxRow[];
    }
  /** nothing to send (already done, or the case is gone): mark it sent */
  | { kind: "skip"; reason: string }
  /** not yet (the case's topic does not exist yet) */
  | { kind: "wait" }
  /** not before `at` (the board is not sent again more often than its pace) */
  | { kind: "later"; at: number };

/**
 * When a chat may get the next message. The domain's Pacer, or the bot's send
 * budget (whose API transformer records each send itself: then record is a no-op).
 */
export interface SenderPacing {
  nextAt(chatId: number, now: number, counted?: boolean): number;
  record(chatId: number, at: number, counted?: boolean): void;
  block(chatId: number, until: number): void;
}

export interface SenderApi {
  call(method: string, params: Record<string, unknown>): Promise<unknown>;
}

export interface SenderOptions {
  outbox: OutboxRepository;
  api: SenderApi;
  pacer: SenderPacing;
  now: () => number;
  logger: Logger;
  /** turn a row (and the text rows merged into it) into one Bot API call */
  prepare(row: OutboxRow, mergedText?: string): Promise<Prepared>;
  /** a row that can never be delivered (400/403) */
  onFailed?(row: OutboxRow, description: string): Promise<void>;
  leaseMs?: number;
  /** at most this long between looks at the table (rows from other instances) */
  pollMs?: number;
  /** calls on the wire at once, each to a different chat (a slow chat never holds up the others) */
  concurrency?: number;
  /**
   * May this instance send now? (Several instances on PostgreSQL elect one sender, so
   * together they stay within each group's budget.) Default: always.
   */
  isLeader?: () => boolean;
}

export interface DrainResult {
  /** Bot API calls made */
  sent: number;
  /** when something may be sendable next (undefined: the outbox is empty) */
  nextAt: number | undefined;
}

export interface OutboxSender {
  /** send everything that may be sent now; returns when nothing more may */
  drain(): Promise<DrainResult>;
  /** the loop (main.ts); returns stop */
  start(): () => Promise<void>;
  /** new rows were queued: look now */
  kick(): void;
  readonly stats: { calls: number; rateLimited: number; retried: number; failed: number };
}

const READY_BATCH = 200;

/** New messages and edits count against a chat's limit; opening/closing a topic does not. */
export function countedKind(kind: OutboxRow["kind"]): boolean {
  return kind !== "topic_state";
}

function isMergeable(r: OutboxRow): boolean {
  return r.kind === "text" && r.payload.merge === true && typeof r.payload.text === "string";
}

export function createOutboxSender(o: SenderOptions): OutboxSender {
  const leaseMs = o.leaseMs ?? 90_000;
  const pollMs = o.pollMs ?? 1_000;
  const stats = { calls: 0, rateLimited: 0, retried: 0, failed: 0 };
  const concurrency = o.concurrency ?? 4;
  let draining: Promise<DrainResult> | undefined;
  /** chats with a call on the wire, and those calls */
  const busy = new Set<number>();
  const inFlight = new Set<Promise<void>>();

  async function sendOne(rows: OutboxRow[], now: number): Promise<{ sentOne: boolean; nextAt?: number }> {
    let nextAt: number | undefined;
    const pacedChats = new Set<number>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as OutboxRow;
      const counted = countedKind(row.kind);
      if (busy.has(row.chatId)) continue; // one call per chat at a time, in order
      if (counted && pacedChats.has(row.chatId)) continue;
      const at = o.pacer.nextAt(row.chatId, now, counted);
      if (at > now) {
        nextAt = Math.min(nextAt ?? at, at);
        if (counted) pacedChats.add(row.chatId);
        continue;
      }
      const prep = await o.prepare(row);
      if (prep.kind === "wait") continue;
      if (prep.kind === "later") {
        await o.outbox.retryLater([row.id], prep.at, "not before its pace");
        nextAt = Math.min(nextAt ?? prep.at, prep.at);
        continue;
      }
      if (prep.kind === "skip") {
        const taken = await o.outbox.claim([row.id], now, leaseMs);
        if (taken.length) await o.outbox.markSent(taken, now, { skipped: prep.reason });
        return { sentOne: true };
      }
      // Merge the following pending text relays for the same case and chat.
      let group = [row];
      let call = prep;
      if (isMergeable(row)) {
        const same = rows
          .slice(i)
          .filter((r) => r.chatId === row.chatId && r.threadCaseId === row.threadCaseId && isMergeable(r) && r.priority === row.priority);
        const merged = mergeTexts(same.map((r) => ({ id: r.id, text: String(r.payload.text) })));
        if (merged.ids.length > 1) {
          group = same.filter((r) => merged.ids.includes(r.id));
          const p2 = await o.prepare(row, merged.text);
          if (p2.kind !== "send") continue;
          call = p2;
        }
      }
      const taken = await o.outbox.claim(
        group.map((r) => r.id),
        now,
        leaseMs,
      );
      if (!taken.includes(row.id)) {
        // another instance took it; release whatever we took
        await o.outbox.retryLater(taken, now, "released");
        continue;
      }
      if (taken.length !== group.length && call.method === "sendMessage" && group.length > 1) {
        // some of the merged rows were taken elsewhere: send only ours
        const mine = group.filter((r) => taken.includes(r.id));
        const p3 = await o.prepare(row, mine.map((r) => String(r.payload.text)).join("\n\n"));
        if (p3.kind === "send") call = p3;
      }
      busy.add(row.chatId);
      const p = deliver(row, taken, call, now)
        .catch((err: unknown) => o.logger.error({ err }, "desk outbox: delivery bookkeeping failed"))
        .finally(() => {
          busy.delete(row.chatId);
          inFlight.delete(p);
        });
      inFlight.add(p);
      return { sentOne: true };
    }
    return { sentOne: false, ...(nextAt !== undefined ? { nextAt } : {}) };
  }

  async function deliver(row: OutboxRow, ids: string[], call: Extract<Prepared, { kind: "send" }>, now: number): Promise<void> {
    stats.calls++;
    try {
      const result = await o.api.call(call.method, call.params);
      o.pacer.record(row.chatId, o.now(), countedKind(row.kind));
      const patch = call.after?.(result);
      const summary =
        result && typeof result === "object"
          ? {
              ...Object.fromEntries(Object.entries(result as Record<string, unknown>).filter(([k]) => k === "message_id" || k === "message_thread_id")),
              ...call.note,
            }
          : call.note ? { value: result, ...call.note } : result;
      await o.outbox.markSent(ids, o.now(), summary, patch, call.followUp?.(result));
    } catch (err) {
      if (err instanceof GrammyError) {
        o.pacer.record(row.chatId, o.now(), countedKind(row.kind));
        if (err.error_code === 429) {
          stats.rateLimited++;
          const after = (err.parameters.retry_after ?? 5) * 1000;
          o.pacer.block(row.chatId, now + after);
          await o.outbox.retryLater(ids, now + after, err.description);
          o.logger.warn({ chat: row.chatId < 0 ? "group" : "private", retry_after: after / 1000 }, "desk outbox: rate limited");
          return;
        }
        if (err.error_code >= 500) {
          stats.retried++;
          await o.outbox.retryLater(ids, now + backoffMs(row.attempts + 1), err.description);
          return;
        }
        // Nothing to change, or an old board that is already gone or too old to delete: done.
        if (/not modified|TOPIC_NOT_MODIFIED|message to delete not found|message can't be deleted/i.test(err.description)) {
          await o.outbox.markSent(ids, o.now(), { unchanged: true });
          return;
        }
        stats.failed++;
        await o.outbox.fail(ids, o.now(), err.description);
        // A person who blocked the bot (403) is not a fault of the bot: info, not error.
        o.logger[err.error_code === 403 ? "info" : "error"]({ method: call.method, error_code: err.error_code, description: err.description }, "desk outbox: undeliverable");
        await o.onFailed?.(row, err.description).catch((e: unknown) => o.logger.error({ err: e }, "onFailed"));
        return;
      }
      stats.retried++;
      const desc = err instanceof HttpError ? `network: ${String(err.error)}` : String(err);
      await o.outbox.retryLater(ids, now + backoffMs(row.attempts + 1), desc);
      o.logger.warn({ method: call.method, err: desc }, "desk outbox: will retry");
    }
  }

  async function drainNow(): Promise<DrainResult> {
    let sent = 0;
    if (o.isLeader && !o.isLeader()) return { sent, nextAt: undefined };
    for (;;) {
      if (inFlight.size >= concurrency) {
        await Promise.race(inFlight);
        continue;
      }
      const now = o.now();
      const rows = await o.outbox.ready(now, READY_BATCH);
      const r = rows.length === 0 ? { sentOne: false } : await sendOne(rows, now);
      if (r.sentOne) {
        sent++;
        continue;
      }
      if (inFlight.size > 0) {
        // Nothing more may go now: wait for a call on the wire, then look again.
        await Promise.race(inFlight);
        continue;
      }
      if (rows.length === 0) return { sent, nextAt: await o.outbox.nextDue(now) };
      const nextAt = [("nextAt" in r ? r.nextAt : undefined), await o.outbox.nextDue(now)].filter((x): x is number => x !== undefined);
      return { sent, nextAt: nextAt.length ? Math.min(...nextAt) : undefined };
    }
  }

  const drain = (): Promise<DrainResult> => {
    if (draining) return draining.then(() => drain());
    draining = drainNow().finally(() => {
      draining = undefined;
    });
    return draining;
  };

  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let running: Promise<void> | undefined;
  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      running = loop();
    }, ms);
  };
  const loop = async () => {
    let delay = pollMs;
    try {
      const r = await drain();
      if (r.nextAt !== undefined) delay = Math.max(10, Math.min(pollMs, r.nextAt - o.now()));
    } catch (err) {
      o.logger.error({ err }, "desk outbox: drain failed");
      delay = 2 * pollMs;
    }
    schedule(delay);
  };

  return {
    drain,
    stats,
    kick() {
      if (!stopped && timer) schedule(0);
    },
    start() {
      stopped = false;
      schedule(0);
      return async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        await running?.catch(() => undefined);
        await draining?.catch(() => undefined);
      };
    },
  };
}
