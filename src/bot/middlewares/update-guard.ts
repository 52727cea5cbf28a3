/**
 * Around every update: one at a time per chat across all instances (a lock in
 * the database), and each update handled once (processed ids remembered for a
 * day). An update whose handling failed because the database could not be
 * written is not marked handled: the error goes on to the intake, which keeps
 * the update in the inbox and tries it again (the one retry layer; see
 * src/bot/pending.ts); a later update of the same chat waits behind it. Storage
 * health (for /readyz) learns of each write that works. Also times the
 * handling and counts updates by type.
 */
import type { MiddlewareFn } from "grammy";
import type { Update } from "grammy/types";
import { chatLockKey } from "../../storage/db.ts";
import type { BotContext, BotDeps } from "../context.ts";
import type { PendingUpdates } from "../pending.ts";

export function updateType(update: Update): string {
  for (const k of Object.keys(update)) if (k !== "update_id") return k;
  return "unknown";
}

/** The key that serialises an update: its chat, else its user, else itself. */
export function lockKey(ctx: { chatId?: number; from?: { id: number }; update: Update }): string {
  if (ctx.chatId !== undefined) return chatLockKey(ctx.chatId);
  if (ctx.from) return `user:${ctx.from.id}`;
  return `update:${ctx.update.update_id}`;
}

/** An earlier update of the chat waits for another try (storage failing): this one must wait behind it. */
export class HeldBehind extends Error {
  override name = "HeldBehind";
}

export function updateGuard(deps: BotDeps, pending: PendingUpdates): MiddlewareFn<BotContext> {
  const { database, repos, metrics, storageHealth } = deps;
  return async (ctx, next) => {
    const type = updateType(ctx.update);
    const id = ctx.update.update_id;
    const again = pending.isPending(id);
    if (!again) metrics.updates.inc({ type });
    const key = lockKey(ctx);
    // Order within a chat: an earlier update of it waits for another try, so this one waits too.
    if (pending.heldBehind(key, id)) throw new HeldBehind(`update ${id} waits behind an earlier one of its chat`);
    const end = metrics.handleSeconds.startTimer();
    try {
      // Everything below runs under the chat's lock (a PostgreSQL advisory lock shared by
      // every instance): the duplicate check, the session read (the session middleware
      // runs after this one), the handling, the session write and the mark. So two
      // deliveries of one update, or two updates of one chat, never overlap.
      // The id is marked AFTER handling: if the process dies mid-update, Telegram
      // delivers it again and it is handled again (at least once; never lost).
      await database.withLock(key, async () => {
        if (await repos.updates.isProcessed(id)) {
          ctx.log.debug({ update_id: id }, "duplicate update skipped");
          return;
        }
        // Handled on an earlier try, only the mark failed: mark it, do not answer twice.
        if (!pending.wasHandled(id)) {
          await next();
          pending.handledUnmarked(id);
        }
        await repos.updates.markProcessed(id, deps.now());
        storageHealth.succeeded();
      });
      // Before the chat's next update runs (sequentialize): it must not find this one pending.
      pending.done(id);
    } finally {
      end();
    }
  };
}
