/**
 * Desk cases and 24-hour blocks. Changes that also queue messages or write the
 * audit log do so in the same transaction: a case never exists without its
 * card queued, and no action happens without its audit row.
 */
import type { Insertable, Kysely, Selectable, Transaction } from "kysely";
import type { CasePriority, CaseStatus, Writer } from "../../domain/cases/case.ts";
import type { Lang } from "../../domain/lang.ts";
import type { DB } from "../schema.ts";
import type { DeskCasesTable } from "../tables/desk.ts";
import { type AuditEntry, insertAudit } from "./audit.ts";
import { insertOutbox, type NewOutboxRow } from "./outbox.ts";

export interface CaseRecord {
  id: number;
  userId: number;
  status: CaseStatus;
  priority: CasePriority;
  lang: Lang;
  writer: Writer;
  signals: string[];
  threadId: number | null;
  cardMessageId: number | null;
  claimedBy: number | null;
  claimedByName: string | null;
  consent: boolean | null;
  userName: string | null;
  preview: string;
  createdAt: number;
  updatedAt: number;
  lastUserAt: number;
  escalatedAt: number | null;
  resolvedAt: number | null;
  outcome: string | null;
  claimedAt: number | null;
  firstReplyAt: number | null;
  followUpAt: number | null;
}

export interface NewCase {
  userId: number;
  priority: CasePriority;
  lang: Lang;
  writer: Writer;
  signals: string[];
  preview: string;
  now: number;
  /** the writer already agreed that staff may write to them (a family member's report) */
  consent?: boolean;
}

export type CasePatch = Partial<Omit<DeskCasesTable, "id" | "user_id" | "created_at">>;

export interface CaseSideEffects {
  outbox?: (c: CaseRecord) => NewOutboxRow[];
  audit?: (c: CaseRecord) => AuditEntry[];
}

export interface CasesRepository {
  /** the user's latest case that is not resolved */
  openFor(userId: number): Promise<CaseRecord | undefined>;
  get(id: number): Promise<CaseRecord | undefined>;
  byThread(threadId: number): Promise<CaseRecord | undefined>;
  /** create a case with a new number (never reused), its outbox rows and audit rows, in one transaction (call under a lock) */
  create(c: NewCase, effects?: CaseSideEffects): Promise<CaseRecord>;
  /**
   * Change a case (only if its status is still `expectStatus`, when given), with
   * outbox and audit rows, in one transaction. Returns the new case, or undefined
   * when it was not changed.
   */
  update(id: number, patch: CasePatch, effects?: CaseSideEffects & { expectStatus?: CaseStatus[]; onlyIfNotEscalated?: boolean; expectFollowUpAt?: number }): Promise<CaseRecord | undefined>;
  /** every case of a user, newest first */
  allFor(userId: number): Promise<CaseRecord[]>;
  /** not resolved: urgent first, then oldest first */
  listOpen(limit?: number): Promise<CaseRecord[]>;
  /** urgent and nobody has claimed them (open or reopened), oldest first: the "urgent now" board */
  urgentWaiting(limit: number): Promise<CaseRecord[]>;
  /** urgent, unclaimed, not yet escalated, created at or before `before` */
  dueForEscalation(before: number): Promise<CaseRecord[]>;
  /** cases opened at or after `since`, and every case still open (for /stats and /export), oldest first */
  listForReport(since: number): Promise<CaseRecord[]>;
  /** open cases with a follow-up due at or before `now`, soonest first */
  dueFollowUps(now: number): Promise<CaseRecord[]>;
  /** open cases with a follow-up set, soonest first */
  withFollowUps(limit?: number): Promise<CaseRecord[]>;
  block(userId: number, until: number, byId: number, now: number): Promise<void>;
  blockedUntil(userId: number): Promise<number | undefined>;
  /** every case of a user, oldest first */
  listForUser(userId: number): Promise<CaseRecord[]>;
  /**
   * Everything about a user: their cases, blocks, every outbox row about them or
   * their cases (sent ones too: payloads hold their words and cards), and their
   * own entries in the audit log made anonymous (the trail of staff actions stays).
   */
  deleteUser(userId: number): Promise<void>;
}

type Row = Selectable<DB["desk_cases"]>;
const n = (v: number | null) => (v === null ? null : Number(v));
function toRecord(r: Row): CaseRecord {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    status: r.status as CaseStatus,
    priority: r.priority as CasePriority,
    lang: r.lang as Lang,
    writer: r.writer as Writer,
    signals: JSON.parse(r.signals) as string[],
    threadId: n(r.thread_id),
    cardMessageId: n(r.card_message_id),
    claimedBy: n(r.claimed_by),
    claimedByName: r.claimed_by_name,
    consent: r.contact_consent === null ? null : Number(r.contact_consent) === 1,
    userName: r.user_name,
    preview: r.preview,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastUserAt: Number(r.last_user_at),
    escalatedAt: n(r.escalated_at),
    resolvedAt: n(r.resolved_at),
    outcome: r.outcome ?? null,
    claimedAt: n(r.claimed_at ?? null),
    firstReplyAt: n(r.first_reply_at ?? null),
    followUpAt: n(r.follow_up_at ?? null),
  };
}

async function effectsIn(trx: Transaction<DB>, c: CaseRecord, effects?: CaseSideEffects): Promise<void> {
  if (effects?.outbox) await insertOutbox(trx, effects.outbox(c));
  if (effects?.audit) await insertAudit(trx, effects.audit(c));
}

/** Who the audit log names instead of a user who was forgotten. */
export const FORGOTTEN_ACTOR = { actorId: 0, actorName: "forgotten user" } as const;

const OPEN: CaseStatus[] = ["open", "claimed", "reopened"];
/** open and nobody has claimed it yet */
const UNCLAIMED: CaseStatus[] = ["open", "reopened"];

export function createCasesRepository(db: Kysely<DB>): CasesRepository {
  /** urgent cases nobody has claimed yet (the board, escalation) */
  const urgentUnclaimed = () =>
    db.selectFrom("desk_cases").selectAll().where("priority", "=", "urgent").where("status", "in", UNCLAIMED);
  return {
    async openFor(userId) {
      const r = await db
        .selectFrom("desk_cases")
        .selectAll()
        .where("user_id", "=", userId)
        .where("status", "in", OPEN)
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async get(id) {
      const r = await db.selectFrom("desk_cases").selectAll().where("id", "=", id).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async byThread(threadId) {
      const r = await db.selectFrom("desk_cases").selectAll().where("thread_id", "=", threadId).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async create(c, effects) {
      return db.transaction().execute(async (trx) => {
        // The number comes from the database (a sequence / AUTOINCREMENT): never one given before.
        const values: Insertable<DB["desk_cases"]> = {
          user_id: c.userId,
          status: "open",
          priority: c.priority,
          lang: c.lang,
          writer: c.writer,
          signals: JSON.stringify(c.signals),
          thread_id: null,
          card_message_id: null,
          claimed_by: null,
          claimed_by_name: null,
          contact_consent: c.consent === undefined ? null : c.consent ? 1 : 0,
          user_name: null,
          preview: c.preview,
          created_at: c.now,
          updated_at: c.now,
          last_user_at: c.now,
          escalated_at: null,
          resolved_at: null,
          outcome: null,
          claimed_at: null,
          first_reply_at: null,
          follow_up_at: null,
        };
        const { id } = await trx.insertInto("desk_cases").values(values).returning("id").executeTakeFirstOrThrow();
        const rec = toRecord({ ...values, id } as Row);
        await effectsIn(trx, rec, effects);
        return rec;
      });
    },
    async update(id, patch, effects) {
      return db.transaction().execute(async (trx) => {
        let q = trx.updateTable("desk_cases").set(patch).where("id", "=", id);
        if (effects?.expectStatus) q = q.where("status", "in", effects.expectStatus);
        if (effects?.onlyIfNotEscalated) q = q.where("escalated_at", "is", null);
        if (effects?.expectFollowUpAt !== undefined) q = q.where("follow_up_at", "=", effects.expectFollowUpAt);
        const r = await q.executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return undefined;
        const row = await trx.selectFrom("desk_cases").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
        const rec = toRecord(row);
        await effectsIn(trx, rec, effects);
        return rec;
      });
    },
    async listOpen(limit = 50) {
      const rows = await db
        .selectFrom("desk_cases")
        .selectAll()
        .where("status", "in", OPEN)
        .orderBy((eb) => eb.case().when("priority", "=", "urgent").then(0).else(1).end())
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
    async urgentWaiting(limit) {
      const rows = await urgentUnclaimed()
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
    async dueForEscalation(before) {
      const rows = await urgentUnclaimed()
        .where("escalated_at", "is", null)
        .where("created_at", "<=", before)
        .orderBy("created_at")
        .execute();
      return rows.map(toRecord);
    },
    async allFor(userId) {
      const rows = await db.selectFrom("desk_cases").selectAll().where("user_id", "=", userId).orderBy("id", "desc").execute();
      return rows.map(toRecord);
    },
    async listForReport(since) {
      const rows = await db
        .selectFrom("desk_cases")
        .selectAll()
        .where((eb) => eb.or([eb("created_at", ">=", since), eb("status", "in", OPEN)]))
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toRecord);
    },
    async dueFollowUps(now) {
      const rows = await db
        .selectFrom("desk_cases")
        .selectAll()
        .where("status", "in", OPEN)
        .where("follow_up_at", "is not", null)
        .where("follow_up_at", "<=", now)
        .orderBy("follow_up_at")
        .execute();
      return rows.map(toRecord);
    },
    async withFollowUps(limit = 50) {
      const rows = await db
        .selectFrom("desk_cases")
        .selectAll()
        .where("status", "in", OPEN)
        .where("follow_up_at", "is not", null)
        .orderBy("follow_up_at")
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
    async block(userId, until, byId, now) {
      await db
        .insertInto("desk_blocks")
        .values({ user_id: userId, until, by_id: byId, at: now })
        .onConflict((oc) => oc.column("user_id").doUpdateSet({ until, by_id: byId, at: now }))
        .execute();
    },
    async blockedUntil(userId) {
      const r = await db.selectFrom("desk_blocks").select("until").where("user_id", "=", userId).executeTakeFirst();
      return r ? Number(r.until) : undefined;
    },
    async listForUser(userId) {
      const rows = await db.selectFrom("desk_cases").selectAll().where("user_id", "=", userId).orderBy("id").execute();
      return rows.map(toRecord);
    },
    async deleteUser(userId) {
      await db.transaction().execute(async (trx) => {
        const ids = (await trx.selectFrom("desk_cases").select("id").where("user_id", "=", userId).execute()).map((r) => Number(r.id));
        await trx
          .deleteFrom("desk_outbox")
          .where((eb) =>
            ids.length === 0
              ? eb("owner", "=", userId)
              : eb.or([eb("owner", "=", userId), eb("case_id", "in", ids), eb("thread_case_id", "in", ids)]),
          )
          .execute();
        await trx.deleteFrom("desk_blocks").where("user_id", "=", userId).execute();
        await trx
          .updateTable("desk_audit")
          .set({ actor_id: FORGOTTEN_ACTOR.actorId, actor_name: FORGOTTEN_ACTOR.actorName })
          .where("actor_id", "=", userId)
          .execute();
        await trx.deleteFrom("desk_cases").where("user_id", "=", userId).execute();
      });
    },
  };
}
