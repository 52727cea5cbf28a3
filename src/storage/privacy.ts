/**
 * Deleting a person's data: on request (/forget) and after RETENTION_DAYS of
 * inactivity. createRepositories builds one registry per database with every
 * area's deleter in it (sessions and conversations, flows, desk cases with their
 * outbox rows, blocks and audit entries); parts built later (the desk, which
 * clears the staff group) add a hook. Both ways of forgetting go through
 * forget(), so both reach the same rows and the same staff-group messages.
 */
import { chatLockKey } from "./db.ts";
import type { Repositories } from "./repositories.ts";

/**
 * Which of the person's updates still waiting in the inbox go with them: /forget
 * takes those up to the update that confirmed it (a message sent after it is a new
 * one and is still handled); retention those received before its cut-off. None
 * given: all of them.
 */
export interface ForgetScope {
  upToUpdateId?: number;
  receivedBefore?: number;
}

/** One area's deletion of everything it stores about a user (private chat id = user id). */
export type UserDeleter = (userId: number, scope?: ForgetScope) => Promise<void>;

/** A case that was deleted with its user: what the staff group still shows of it. */
export interface ForgottenCase {
  id: number;
  threadId: number | null;
  cardMessageId: number | null;
}

/** why a user is forgotten: they asked (/forget), or RETENTION_DAYS of inactivity */
export type ForgetReason = "request" | "retention";

export interface Forgotten {
  userId: number;
  reason: ForgetReason;
  /** the user's cases, as they are before deletion */
  cases: ForgottenCase[];
}

/**
 * Runs BEFORE a user's rows are deleted, awaited by /forget and retention: e.g. the
 * desk queues the removal of the case topics (or the replacement of the cards) in
 * the staff group. Rows it queues must not carry the user as owner: they outlive
 * the deletion and name nobody. Before, so that a failure leaves the user to be
 * forgotten again (with their cases still known), never rows gone and topics left.
 */
export type ForgetHook = (forgotten: Forgotten) => Promise<void>;

export interface UserDataRegistry {
  /** an area's deleter, run by every forget (createRepositories adds the built-in ones) */
  addDeleter(d: UserDeleter): void;
  /** a hook run before the rows are deleted (see ForgetHook) */
  onForget(hook: ForgetHook): void;
  /** a hook run after the rows are deleted (e.g. the staff board re-drawn without the case) */
  onForgotten(hook: ForgetHook): void;
  /** run the before-hooks, delete everything about the user, then run the after-hooks */
  forget(userId: number, reason?: ForgetReason, scope?: ForgetScope): Promise<Forgotten>;
}

export interface UserDataRegistryOptions {
  /** the user's cases, read before anything is deleted */
  casesOf: (userId: number) => Promise<ForgottenCase[]>;
  deleters: readonly UserDeleter[];
  /** deletes the users row: always last, so a failure part-way leaves the user to be purged again */
  deleteUserRow: (userId: number) => Promise<void>;
  hooks?: readonly ForgetHook[];
}

export function createUserDataRegistry(options: UserDataRegistryOptions): UserDataRegistry {
  const deleters = [...options.deleters];
  const hooks = [...(options.hooks ?? [])];
  const after: ForgetHook[] = [];
  return {
    addDeleter: (d) => void deleters.push(d),
    onForget: (h) => void hooks.push(h),
    onForgotten: (h) => void after.push(h),
    async forget(userId, reason = "request", scope) {
      const forgotten: Forgotten = { userId, reason, cases: await options.casesOf(userId) };
      for (const h of hooks) await h(forgotten);
      for (const d of deleters) await d(userId, scope);
      await options.deleteUserRow(userId);
      for (const h of after) await h(forgotten);
      return forgotten;
    },
  };
}

export async function forgetUser(
  repos: Repositories,
  userId: number,
  reason: ForgetReason = "request",
  scope?: ForgetScope,
): Promise<void> {
  await repos.privacy.forget(userId, reason, scope);
}

/** Database.withLock: the lock updates of a chat are handled under. */
export type ChatLock = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Purge users inactive since `before`; returns how many were purged. With `withLock`
 * (main passes the database's), each user is forgotten under their chat's lock and
 * only if still inactive: a message arriving at that moment is either handled
 * first (and the user is kept) or after (and starts fresh), never half-deleted.
 */
export async function purgeInactive(
  repos: Repositories,
  before: number,
  batch = 500,
  withLock?: ChatLock,
): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = await repos.users.inactiveSince(before, batch);
    if (ids.length === 0) break;
    for (const id of ids) {
      if (!withLock) {
        await forgetUser(repos, id, "retention", { receivedBefore: before });
        total++;
        continue;
      }
      const purged = await withLock(chatLockKey(id), async () => {
        const last = await repos.users.lastSeen(id);
        if (last === undefined || last >= before) return false; // active again, or already gone
        await forgetUser(repos, id, "retention", { receivedBefore: before });
        return true;
      });
      if (purged) total++;
    }
    if (ids.length < batch) break;
  }
  return total;
}

/** Forget processed update ids older than a day. */
export async function purgeProcessedUpdates(repos: Repositories, now: number): Promise<number> {
  return repos.updates.purgeOlderThan(now - 24 * 60 * 60 * 1000);
}
