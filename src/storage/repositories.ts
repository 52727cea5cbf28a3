/** Every repository over one database: the container's storage part. */
import type { Database } from "./db.ts";
import { type AuditRepository, createAuditRepository } from "./repositories/audit.ts";
import { type CasesRepository, createCasesRepository } from "./repositories/cases.ts";
import { type ChecklistsRepository, createChecklistsRepository } from "./repositories/checklists.ts";
import { createInboxRepository, type InboxRepository } from "./repositories/inbox.ts";
import { createKvRepository, type KvRepository } from "./repositories/kv.ts";
import { createOutboxRepository, type OutboxRepository } from "./repositories/outbox.ts";
import { createUpdatesRepository, type UpdatesRepository } from "./repositories/updates.ts";
import { createUsersRepository, type UsersRepository } from "./repositories/users.ts";

export interface Repositories {
  kv: KvRepository;
  users: UsersRepository;
  updates: UpdatesRepository;
  checklists: ChecklistsRepository;
  cases: CasesRepository;
  outbox: OutboxRepository;
  audit: AuditRepository;
  inbox: InboxRepository;
}

/** Keys of kv state remembered in memory when this process owns the database (SQLite). */
const KV_CACHE_SIZE = 5_000;

export function createRepositories(database: Database): Repositories {
  const { db } = database;
  const exclusive = database.dialect === "sqlite";
  return {
    kv: createKvRepository(db, { cacheSize: exclusive ? KV_CACHE_SIZE : 0 }),
    users: createUsersRepository(db, { exclusive }),
    updates: createUpdatesRepository(db),
    checklists: createChecklistsRepository(db),
    cases: createCasesRepository(db),
    outbox: createOutboxRepository(db),
    audit: createAuditRepository(db),
    inbox: createInboxRepository(db),
  };
}
