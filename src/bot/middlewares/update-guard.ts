/**
 * Around every update: one at a time per chat across all instances (a lock in
 * the database), and each update handled once (processed ids remembered for a
 * day). An update whose handling failed because the database could not be
 * written is not marked handled: the person gets the hotlines at once, the
 * update is kept and handled again once writes work (storage health tells
 * /readyz meanwhile). Also times the handling and counts updates by type.
 */
import type { MiddlewareFn } from "grammy";
import type { Update } from "grammy/types";
import { chatLockKey } from "../../storage/db.ts";
import { isStorageFailure } from "../../storage/health.ts";
import type { BotContext, BotDeps } from "../context.ts";
import { AnsweredStorageFailure, apologiseWithHotlines } from "./apology.ts";
import type { UpdateRetry } from "./update-retry.ts";

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

export function updateGuard(deps: BotDeps, retry: UpdateRetry): MiddlewareFn<BotContext> {
  const { database, repos, metrics, storageHealth } = deps;
  return async (ctx, next) => {
    const type = updateType(ctx.update);
    const id = ctx.update.update_id;
    const again = retry.isKept(id);
    if (!again) metrics.updates.inc({ type });
    ctx.retrying = again;
    const key = lockKey(ctx);
    if (!again && retry.hasKeptFor(key)) {
      // An earlier update of this chat waits for a retry: this one goes behind it (order
      // within a chat is kept). The person is answered now, with the hotlines.
      ctx.log.warn({ update_id: id, type }, "update kept behind an earlier one of its chat (storage failing)");
      retry.keep(ctx.update, key);
      await apologiseWithHotlines(ctx, deps);
      return;
    }
    const end = metrics.handleSeconds.startTimer();
    let handled = false;
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
        await next();
        handled = true;
        await repos.updates.markProcessed(id, deps.now());
        storageHealth.succeeded();
      });
      retry.done(id);
    } catch (err) {
      const answered = err instanceof AnsweredStorageFailure;
      if (!answered && !isStorageFailure(err)) throw err;
      storageHealth.failed(answered ? err.error : err, deps.now());
      if (handled) {
        // Handled and answered; only the mark failed: handling it again would answer twice.
        retry.done(id);
        ctx.log.warn({ update_id: id }, "update handled but not marked (storage failing)");
        return;
      }
      ctx.log.warn({ update_id: id, type, again }, "update kept for a retry (storage failing)");
      retry.keep(ctx.update, key);
      if (!answered && !again) await apologiseWithHotlines(ctx, deps);
    } finally {
      end();
    }
  };
}
