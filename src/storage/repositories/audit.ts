/**
 * The desk's audit log: who did what to which case, and when. Kept when a user
 * is forgotten, made anonymous: entries the user made themselves (consent) name
 * no one then (cases.deleteUser).
 */
import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../schema.ts";
import { nextSeq } from "./outbox.ts";

export interface AuditEntry {
  caseId: number | null;
  actorId: number;
  actorName: string;
  action: string;
  detail?: string | null;
  at: number;
}

export interface AuditRepository {
  add(entry: AuditEntry): Promise<void>;
  list(caseId?: number): Promise<AuditEntry[]>;
}

export async function insertAudit(db: Kysely<DB> | Transaction<DB>, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto("desk_audit")
    .values(
      entries.map((e) => ({
        id: randomUUID(),
        case_id: e.caseId,
        actor_id: e.actorId,
        actor_name: e.actorName.slice(0, 200),
        action: e.action,
        detail: e.detail ?? null,
        at: e.at,
        seq: nextSeq(e.at),
      })),
    )
    .execute();
}

export function createAuditRepository(db: Kysely<DB>): AuditRepository {
  return {
    add: (entry) => insertAudit(db, [entry]),
    async list(caseId) {
      let q = db.selectFrom("desk_audit").selectAll();
      if (caseId !== undefined) q = q.where("case_id", "=", caseId);
      const rows = await q.orderBy("seq").execute();
      return rows.map((r) => ({
        caseId: r.case_id === null ? null : Number(r.case_id),
        actorId: Number(r.actor_id),
        actorName: r.actor_name,
        action: r.action,
        detail: r.detail,
        at: Number(r.at),
      }));
    },
  };
}
