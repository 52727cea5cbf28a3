/** Every repository over one database: the container's storage part. */
import type { Database } from "./db.ts";
import { createUserDataRegistry, type ForgetHook, type UserDataRegistry, type UserDeleter } from "./privacy.ts";
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
  /** /forget and retention: every area's deleter, and hooks run after them */
  privacy: UserDataRegistry;
  inbox: InboxRepository;
}

export interface RepositoriesOptions {
  /** deleters of further areas that store personal data (run after the built-in ones) */
  deleters?: readonly UserDeleter[];
  /** run before a user's rows are deleted (the staff group part of /forget and retention) */
  onForget?: readonly ForgetHook[];
}

/** Keys of kv state remembered in memory when this process owns the database (SQLite). */
const KV_CACHE_SIZE = 5_000;

export function createRepositories(database: Database, options: RepositoriesOptions = {}): Repositories {
  const { db } = database;
  const exclusive = database.dialect === "sqlite";
  const kv = createKvRepository(db, { cacheSize: exclusive ? KV_CACHE_SIZE : 0 });
  const users = createUsersRepository(db, { exclusive });
  const checklists = createChecklistsRepository(db);
  const cases = createCasesRepository(db);
  const inbox = createInboxRepository(db);
  // Every table that names a user, in one place: sessions and conversation state (kv),
  // saved checklists and plans, desk cases with their outbox rows, blocks and audit entries,
  // and updates still waiting in the inbox.
  const privacy = createUserDataRegistry({
    casesOf: async (userId) =>
      (await cases.listForUser(userId)).map((c) => ({ id: c.id, threadId: c.threadId, cardMessageId: c.cardMessageId })),
    deleters: [
      async (userId) => void (await kv.deleteByOwner(userId)),
      async (userId) => void (await checklists.deleteByUser(userId)),
      (userId) => cases.deleteUser(userId),
      // updates of theirs stored but not handled (a failure, a crash): their texts, names and ids
      async (userId, scope) => void (await inbox.deleteForUser(userId, scope)),
      ...(options.deleters ?? []),
    ],
    deleteUserRow: (userId) => users.delete([userId]),
    hooks: options.onForget ?? [],
  });
  return {
    kv,
    users,
    updates: createUpdatesRepository(db),
    checklists,
    cases,
    outbox: createOutboxRepository(db),
    audit: createAuditRepository(db),
    privacy,
    inbox,
  };
}
