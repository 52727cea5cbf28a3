/**
 * Deleting a person's data: on request (/forget) and after RETENTION_DAYS of
 * inactivity. Every area that stores something about a user registers a
 * deleter here, so nothing is forgotten by accident.
 */
import { chatLockKey } from "./db.ts";
import type { Repositories } from "./repositories.ts";

/** One area's deletion of everything it stores about a user (private chat id = user id). */
export type UserDeleter = (repos: Repositories, userId: number) => Promise<void>;

const deleters: UserDeleter[] = [
  async (repos, id) => {
    await repos.kv.deleteByOwner(id);
  },
];

/** Register an area's deleter (called at module load by the area's repository module). */
export function registerUserDeleter(d: UserDeleter): void {
  deleters.push(d);
}

export async function forgetUser(repos: Repositories, userId: number): Promise<void> {
  for (const d of deleters) await d(repos, userId);
  await repos.users.delete([userId]);
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
        await forgetUser(repos, id);
        total++;
        continue;
      }
      const purged = await withLock(chatLockKey(id), async () => {
        const last = await repos.users.lastSeen(id);
        if (last === undefined || last >= before) return false; // active again, or already gone
        await forgetUser(repos, id);
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
