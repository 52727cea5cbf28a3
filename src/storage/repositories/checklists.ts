/**
 * Saved checklists and plans from the guided flows: one row per user and kind,
 * holding the answers (not the rendered text), so /mychecklist shows it again in
 * the current language. Deleted by /forget and the retention purge.
 */
import type { Kysely } from "kysely";
import type { DB } from "../schema.ts";

export type ChecklistKind = "passport" | "going_home";

export interface SavedChecklist {
  kind: ChecklistKind;
  data: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface ChecklistsRepository {
  /** insert or replace the user's checklist of this kind */
  save(userId: number, kind: ChecklistKind, data: unknown, now?: number): Promise<void>;
  get(userId: number, kind: ChecklistKind): Promise<SavedChecklist | undefined>;
  list(userId: number): Promise<SavedChecklist[]>;
  deleteByUser(userId: number): Promise<number>;
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

export function createChecklistsRepository(db: Kysely<DB>): ChecklistsRepository {
  const toSaved = (r: { kind: string; data: string; created_at: number; updated_at: number }): SavedChecklist => ({
    kind: r.kind as ChecklistKind,
    data: parse(r.data),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });
  return {
    async save(userId, kind, data, now = Date.now()) {
      const json = JSON.stringify(data);
      await db
        .insertInto("checklists")
        .values({ user_id: userId, kind, data: json, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(["user_id", "kind"]).doUpdateSet({ data: json, updated_at: now }))
        .execute();
    },
    async get(userId, kind) {
      const r = await db
        .selectFrom("checklists")
        .select(["kind", "data", "created_at", "updated_at"])
        .where("user_id", "=", userId)
        .where("kind", "=", kind)
        .executeTakeFirst();
      return r ? toSaved(r) : undefined;
    },
    async list(userId) {
      const rows = await db
        .selectFrom("checklists")
        .select(["kind", "data", "created_at", "updated_at"])
        .where("user_id", "=", userId)
        .orderBy("kind")
        .execute();
      return rows.map(toSaved);
    },
    async deleteByUser(userId) {
      const r = await db.deleteFrom("checklists").where("user_id", "=", userId).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
