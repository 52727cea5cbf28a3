/**
 * Around every update: one at a time per chat across all instances (a lock in
 * the database), and each update handled once (processed ids remembered for a
 * day). Also times the handling and counts updates by type.
 */
import type { MiddlewareFn } from "grammy";
import type { Update } from "grammy/types";
import { chatLockKey } from "../../storage/db.ts";
import type { BotContext, BotDeps } from "../context.ts";

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

export function updateGuard(deps: BotDeps): MiddlewareFn<BotContext> {
  const { database, repos, metrics } = deps;
  return async (ctx, next) => {
    const type = updateType(ctx.update);
    metrics.updates.inc({ type });
    const end = metrics.handleSeconds.startTimer();
    try {
      // Everything below runs under the chat's lock (a PostgreSQL advisory lock shared by
      // every instance): the duplicate check, the session read (the session middleware
      // runs after this one), the handling, the session write and the mark. So two
      // deliveries of one update, or two updates of one chat, never overlap.
      // The id is marked AFTER handling: if the process dies mid-update, Telegram
      // delivers it again and it is handled again (at least once; never lost).
      await database.withLock(lockKey(ctx), async () => {
        if (await repos.updates.isProcessed(ctx.update.update_id)) {
          ctx.log.debug({ update_id: ctx.update.update_id }, "duplicate update skipped");
          return;
        }
        await next();
        await repos.updates.markProcessed(ctx.update.update_id, deps.now());
      });
    } finally {
      end();
    }
  };
}
