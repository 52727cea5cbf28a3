/**
 * The desk outbox: every message to the staff group and every relay, written
 * before it is sent. A sender claims rows with a lease (locked_until), so two
 * instances never send the same row at once, and marks them sent together with
 * what the result changes (a case's topic id or card id), in one transaction.
 */
import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../schema.ts";
import type { DeskCasesTable } from "../tables/desk.ts";

export type OutboxKind = "topic" | "card" | "card_edit" | "text" | "copy" | "topic_state" | "document" | "photo" | "board";
export type OutboxStatus = "pending" | "sending" | "sent" | "failed" | "held";

export interface NewOutboxRow {
  chatId: number;
  threadCaseId?: number | null;
  caseId?: number | null;
  owner?: number | null;
  kind: OutboxKind;
  priority: number;
  payload: Record<string, unknown>;
  status?: "pending" | "held";
  createdAt: number;
}

export interface OutboxRow {
  id: string;
  seq: number;
  chatId: number;
  threadCaseId: number | null;
  caseId: number | null;
  owner: number | null;
  kind: OutboxKind;
  priority: number;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lockedUntil: number;
  createdAt: number;
  sentAt: number | null;
  result: unknown;
  error: string | null;
}

export interface CasePatchOnSent {
  caseId: number;
  patch: Partial<Pick<DeskCasesTable, "thread_id" | "card_message_id">>;
}

export interface OutboxRepository {
  enqueue(rows: readonly NewOutboxRow[]): Promise<void>;
  /** rows that may be sent now (pending, or a 'sending' whose lease ran out), urgent then oldest first */
  ready(now: number, limit: number): Promise<OutboxRow[]>;
  /** take the lease on rows; returns the ids actually taken */
  claim(ids: readonly string[], now: number, leaseMs: number): Promise<string[]>;
  /** mark sent, with what the result changes on a case and rows it leads to (e.g. delete the board it replaced), in one transaction */
  markSent(ids: readonly string[], now: number, result: unknown, casePatch?: CasePatchOnSent, then?: readonly NewOutboxRow[]): Promise<void>;
  /** the latest sent rows of `kind` to `chatId`, newest first (skipped ones too: the board looks for the last one it showed) */
  recentSent(chatId: number, kind: OutboxKind, limit: number): Promise<OutboxRow[]>;
  retryLater(ids: readonly string[], at: number, error: string): Promise<void>;
  fail(ids: readonly string[], now: number, error: string, status?: "failed" | "held"): Promise<void>;
  /** the earliest next_attempt_at after `after` of rows still to send (undefined: none) */
  nextDue(after: number): Promise<number | undefined>;
  pendingCount(): Promise<number>;
  all(): Promise<OutboxRow[]>;
  deleteByOwner(owner: number): Promise<void>;
  /** rows left 'sending' by a process that died (SQLite: one process owns the file): send them again now */
  releaseLeases(): Promise<number>;
  /** when each counted message to `chatId` was sent since `since` (the send budget of a new sender starts from them) */
  sentTimes(chatId: number, since: number): Promise<number[]>;
  /** a case became urgent: its pending rows go first too */
  raisePriority(caseId: number, priority: number): Promise<void>;
  /** staff messages held for a silent user: send them now (the user wrote again) */
  releaseHeld(caseId: number, chatId: number, now: number): Promise<number>;
}

let lastSeq = 0;
/** Creation order: epoch ms × 1000 plus a counter, increasing within a process. */
export function nextSeq(now: number): number {
  lastSeq = Math.max(now * 1000, lastSeq + 1);
  return lastSeq;
}

export async function insertOutbox(db: Kysely<DB> | Transaction<DB>, rows: readonly NewOutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("desk_outbox")
    .values(
      rows.map((r) => ({
        id: randomUUID(),
        seq: nextSeq(r.createdAt),
        chat_id: r.chatId,
        thread_case_id: r.threadCaseId ?? null,
        case_id: r.caseId ?? r.threadCaseId ?? null,
        owner: r.owner ?? null,
        kind: r.kind,
        priority: r.priority,
        payload: JSON.stringify(r.payload),
        status: r.status ?? "pending",
        attempts: 0,
        next_attempt_at: r.createdAt,
        locked_until: 0,
        created_at: r.createdAt,
        sent_at: null,
        result: null,
        error: null,
      })),
    )
    .execute();
}

type Row = DB["desk_outbox"];
function toRow(r: Row): OutboxRow {
  return {
    id: r.id,
    seq: Number(r.seq),
    chatId: Number(r.chat_id),
    threadCaseId: r.thread_case_id === null ? null : Number(r.thread_case_id),
    caseId: r.case_id === null ? null : Number(r.case_id),
    owner: r.owner === null ? null : Number(r.owner),
    kind: r.kind as OutboxKind,
    priority: Number(r.priority),
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    status: r.status as OutboxStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lockedUntil: Number(r.locked_until),
    createdAt: Number(r.created_at),
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    error: r.error,
  };
}

export function createOutboxRepository(db: Kysely<DB>): OutboxRepository {
  return {
    enqueue: (rows) => insertOutbox(db, rows),
    async ready(now, limit) {
      const rows = await db
        .selectFrom("desk_outbox")
        .selectAll()
        .where("status", "in", ["pending", "sending"])
        .where("next_attempt_at", "<=", now)
        .where("locked_until", "<=", now)
        .orderBy("priority")
        .orderBy("seq")
        .limit(limit)
        .execute();
      return rows.map(toRow);
    },
    async claim(ids, now, leaseMs) {
      const taken: string[] = [];
      for (const id of ids) {
        const r = await db
          .updateTable("desk_outbox")
          .set((eb) => ({ status: "sending", locked_until: now + leaseMs, attempts: eb("attempts", "+", 1) }))
          .where("id", "=", id)
          .where("status", "in", ["pending", "sending"])
          .where("locked_until", "<=", now)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 1) taken.push(id);
      }
      return taken;
    },
    async markSent(ids, now, result, casePatch, then) {
      if (ids.length === 0) return;
      await db.transaction().execute(async (trx) => {
        if (then?.length) await insertOutbox(trx, then);
        if (casePatch && Object.keys(casePatch.patch).length > 0) {
          await trx.updateTable("desk_cases").set(casePatch.patch).where("id", "=", casePatch.caseId).execute();
        }
        await trx
          .updateTable("desk_outbox")
          .set({ status: "sent", sent_at: now, locked_until: 0, result: result === undefined ? null : JSON.stringify(result), error: null })
          .where("id", "in", ids)
          .execute();
      });
    },
    async recentSent(chatId, kind, limit) {
      const rows = await db
        .selectFrom("desk_outbox")
        .selectAll()
        .where("chat_id", "=", chatId)
        .where("kind", "=", kind)
        .where("status", "=", "sent")
        .orderBy("sent_at", "desc")
        .orderBy("seq", "desc")
        .limit(limit)
        .execute();
      return rows.map(toRow);
    },
    async retryLater(ids, at, error) {
      if (ids.length === 0) return;
      await db
        .updateTable("desk_outbox")
        .set({ status: "pending", next_attempt_at: at, locked_until: 0, error: error.slice(0, 500) })
        .where("id", "in", ids)
        .execute();
    },
    async fail(ids, now, error, status = "failed") {
      if (ids.length === 0) return;
      await db
        .updateTable("desk_outbox")
        .set({ status, sent_at: now, locked_until: 0, error: error.slice(0, 500) })
        .where("id", "in", ids)
        .execute();
    },
    async nextDue(after) {
      const r = await db
        .selectFrom("desk_outbox")
        .select((eb) => eb.fn.min("next_attempt_at").as("due"))
        .where("status", "in", ["pending", "sending"])
        .where("next_attempt_at", ">", after)
        .executeTakeFirst();
      return r?.due === null || r?.due === undefined ? undefined : Number(r.due);
    },
    async pendingCount() {
      const r = await db
        .selectFrom("desk_outbox")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("status", "in", ["pending", "sending"])
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async all() {
      const rows = await db.selectFrom("desk_outbox").selectAll().orderBy("seq").execute();
      return rows.map(toRow);
    },
    async releaseLeases() {
      const r = await db
        .updateTable("desk_outbox")
        .set({ status: "pending", locked_until: 0 })
        .where("status", "=", "sending")
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async sentTimes(chatId, since) {
      const rows = await db
        .selectFrom("desk_outbox")
        .select("sent_at")
        .where("chat_id", "=", chatId)
        .where("status", "=", "sent")
        .where("sent_at", ">", since)
        .where("kind", "!=", "topic_state")
        .where("error", "is", null)
        // rows marked sent without a call (the board unchanged, a card that exists) were never sent
        .where((eb) => eb.or([eb("result", "is", null), eb("result", "not like", '{"skipped"%')]))
        .execute();
      return rows.map((r) => Number(r.sent_at));
    },
    async raisePriority(caseId, priority) {
      await db
        .updateTable("desk_outbox")
        .set({ priority })
        .where("case_id", "=", caseId)
        .where("status", "in", ["pending", "sending", "held"])
        .where("priority", ">", priority)
        .execute();
    },
    async releaseHeld(caseId, chatId, now) {
      const r = await db
        .updateTable("desk_outbox")
        .set({ status: "pending", next_attempt_at: now, sent_at: null, error: null })
        .where("case_id", "=", caseId)
        .where("chat_id", "=", chatId)
        .where("kind", "=", "copy")
        .where("status", "=", "held")
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async deleteByOwner(owner) {
      await db.deleteFrom("desk_outbox").where("owner", "=", owner).execute();
    },
  };
}
