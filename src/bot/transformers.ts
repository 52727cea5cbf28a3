/**
 * The API transformers a bot on Telegram runs with (main.ts; also the tests
 * and benchmarks that run "the production transformers").
 * - every path (replies, conversations, the desk outbox's own Api): Telegram's
 *   health (innermost: it times the call itself), then the send budget (with
 *   several instances on PostgreSQL, shared through the send log);
 * - replies only: a bounded auto-retry (at most 3 retries, a 429 waited out only
 *   up to 10 s, network errors not retried: the caller sees them). The desk
 *   outbox has no auto-retry: its own back-off sees every 429, 5xx and network error.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import type { Transformer } from "grammy";
import { budgetTransformer, type SendBudget, type SharedBudget } from "./budget.ts";
import type { TelegramHealth } from "./telegram-health.ts";

export function sendingTransformers(o: { budget: SendBudget; health?: TelegramHealth; shared?: SharedBudget }): {
  transformers: Transformer[];
  replyTransformers: Transformer[];
} {
  return {
    transformers: [...(o.health ? [o.health.transformer()] : []), budgetTransformer(o.budget, Date.now, o.shared)],
    replyTransformers: [autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10, rethrowHttpErrors: true })],
  };
}
