/**
 * The bot: every feature in one ordered list. createBot(deps, options) builds
 * it without starting anything; main.ts decides polling, webhook or terminal.
 */
import { conversations } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Api, Bot, type BotError, GrammyError, type Transformer, session } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { kvStorage } from "../storage/repositories/kv.ts";
import { createFlowsFeature, flowStartButtons } from "./conversations/index.ts";
import type { BotContext, BotDeps, FlowContext, SessionData } from "./context.ts";
import { dangerButtonFeature } from "./features/danger-button.ts";
import { dangerCheckFeature } from "./features/danger-check.ts";
import { createDesk, type DeskFeature, deskFeature } from "./desk/desk.ts";
import { freeTextFeature } from "./features/free-text.ts";
import { groupsFeature } from "./features/groups.ts";
import { humanFeature } from "./features/human.ts";
import { knowledgeFeature } from "./features/knowledge.ts";
import { noLocationFeature } from "./features/no-location.ts";
import { followLanguage, languageFeature } from "./features/language.ts";
import { privacyFeature } from "./features/privacy.ts";
import { sourcesFeature } from "./features/sources.ts";
import { analyseText, triageGate } from "./features/triage-gate.ts";
import { recordingsFeature } from "./features/recordings.ts";
import { unhandledFeature } from "./features/unhandled.ts";
import { welcomeFeature } from "./features/welcome.ts";
import { i18nMiddleware, installLanguage } from "./middlewares/i18n.ts";
import { isStorageFailure } from "../storage/health.ts";
import { apologiseWithHotlines } from "./middlewares/apology.ts";
import { lockKey, updateGuard } from "./middlewares/update-guard.ts";
import { createPendingUpdates, type PendingUpdates } from "./pending.ts";
import { tolerateStaleCallbacks } from "./middlewares/stale-callbacks.ts";
import { langFromCode } from "../domain/lang.ts";

export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

export interface BotOptions {
  token: string;
  botInfo?: UserFromGetMe;
  apiRoot?: string;
  /** replaces HTTP (tests, terminal, benchmark): sees every call, also inside conversations */
  fetch?: typeof fetch;
  /**
   * API transformers for every path (the send budget): on bot.api, inside
   * conversations and on the desk outbox's own Api
   */
  transformers?: Transformer[];
  /**
   * API transformers for replies only (bounded auto-retry): on bot.api and inside
   * conversations, never on the desk outbox, which has its own back-off
   */
  replyTransformers?: Transformer[];
  /** the desk outbox's per-call timeout (shorter than its lease); default 30 s */
  deskTimeoutSeconds?: number;
  /** marks a context's calls with a priority for the send budget (a reply to a person in danger first) */
  priorityHint?: (ctx: BotContext) => Transformer;
}

export interface JalanPulangBot {
  bot: Bot<BotContext>;
  desk: DeskFeature;
  /**
   * stored updates whose handling failed (storage) and that wait for another try:
   * the intake's bookkeeping, shared with the update guard (order within a chat)
   */
  pending: PendingUpdates;
}

export function createBot(containerDeps: BotDeps, options: BotOptions): JalanPulangBot {
  const bot = new Bot<BotContext>(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: {
      ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
  });
  const countCalls: Transformer = (prev, method, payload, signal) => {
    containerDeps.metrics.replies.inc({ method });
    return prev(method, payload, signal);
  };
  // Installed in this order: the first is innermost, the last (auto-retry) outermost, so
  // every retry goes through the send budget again.
  const common = [countCalls, ...(options.transformers ?? [])];
  const transformers = [...common, tolerateStaleCallbacks(containerDeps.logger), ...(options.replyTransformers ?? [])];
  for (const t of transformers) bot.api.config.use(t);

  // The desk outbox sends through its own Api: no auto-retry sleeping inside a call (the
  // outbox's back-off sees every 429, 5xx and network error), and a per-call timeout
  // shorter than the outbox's lease.
  const deskApi = new Api(options.token, {
    ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeoutSeconds: options.deskTimeoutSeconds ?? 30,
  });
  for (const t of common) deskApi.config.use(t);
  // The desk is built here and handed to features through deps.desk.
  const deskParts = createDesk(containerDeps, deskApi);
  // Topic answers offer the matching guided flow (passed in, not set on a module).
  const deps: BotDeps = { ...containerDeps, topicExtras: flowStartButtons, ...(deskParts ? { desk: deskParts.handoff } : {}) };
  const desk = deskFeature(deskParts);

  const { kv } = deps.repos;
  const flows = createFlowsFeature(deps);

  bot.use(sequentialize(lockKey));
  if (options.priorityHint) {
    const hint = options.priorityHint;
    bot.use((ctx, next) => {
      ctx.api.config.use(hint(ctx));
      return next();
    });
  }
  bot.use(async (ctx, next) => {
    ctx.deps = deps;
    ctx.log = deps.logger;
    await next();
  });
  // Updates that failed because the database could not be written stay in the inbox; the
  // intake tries them again (src/bot/intake.ts), the guard keeps a chat's order meanwhile.
  const pending = createPendingUpdates();
  bot.use(updateGuard(deps, pending));
  const onError = async (err: BotError<BotContext>) => {
    const ctx = err.ctx;
    const e = err.error;
    if (e instanceof GrammyError && e.error_code === 403) {
      // The person blocked the bot (or left the chat): nothing to answer, nothing wrong here.
      deps.logger.info({ update_id: ctx.update.update_id, description: e.description }, "user unreachable (blocked the bot)");
      return;
    }
    deps.metrics.errors.inc({ kind: e instanceof Error ? e.name : "unknown" });
    if (isStorageFailure(e)) {
      // Not an error of the bot's own, and not handled: the intake answers the person with the
      // hotlines, keeps the update in the inbox and handles it again once writes work.
      throw e;
    }
    deps.logger.error({ err: e, update_id: ctx.update.update_id }, "error while handling update");
    // Never leave the person with nothing: a calm line with the hotlines.
    await apologiseWithHotlines(ctx, deps);
  };
  // Errors stop at this boundary: the update still counts as handled, the user gets a reply.
  // (A storage failure goes on, through the update guard, to the intake, which keeps the update.)
  const b = bot.errorBoundary(onError);
  b.use(
    session<SessionData, BotContext>({
      initial: () => ({}),
      storage: kvStorage<SessionData>(kv, "session"),
      getSessionKey: (ctx) => (ctx.chatId === undefined ? undefined : String(ctx.chatId)),
    }),
  );
  b.use(i18nMiddleware(deps));
  b.use(async (ctx, next) => {
    // last_seen_at (for retention) moves at most once a minute: most messages cost no write.
    if (ctx.chat?.type === "private" && ctx.from) await deps.repos.users.touch(ctx.from.id, deps.now(), 60_000);
    await next();
  });
  b.use(
    conversations<BotContext, FlowContext>({
      storage: {
        type: "key",
        adapter: kvStorage(kv, "conv"),
        getStorageKey: (ctx) => (ctx.chatId === undefined ? undefined : String(ctx.chatId)),
      },
      plugins: [
        async (ctx, next) => {
          // Conversations get fresh contexts: install deps, logger and t again.
          ctx.log = deps.logger;
          const stored = ctx.chatId === undefined ? undefined : await kv.get<SessionData>(`session:${ctx.chatId}`);
          installLanguage(ctx, deps, stored?.lang ?? langFromCode(ctx.from?.language_code));
          for (const t of transformers) ctx.api.config.use(t);
          await next();
        },
      ],
    }),
  );

  b.use(groupsFeature);
  b.use(desk.staff);
  b.use(welcomeFeature);
  b.use(flows.languageSwitch);
  b.use(languageFeature);
  b.use(privacyFeature);
  b.use(sourcesFeature);
  b.use(humanFeature);
  b.use(dangerButtonFeature);
  b.use(dangerCheckFeature);
  b.use(noLocationFeature);
  b.use(analyseText);
  b.use(followLanguage);
  b.use(triageGate);
  b.use(desk.relay);
  b.use(flows.feature);
  b.use(knowledgeFeature);
  b.use(freeTextFeature);
  b.use(recordingsFeature);
  b.use(unhandledFeature);

  // What escapes the boundary (the guard, the session, a storage failure). The intake calls this
  // for errors that are not storage failures (those it keeps and answers itself); the offline
  // terminal, which has no inbox, for every error: a storage failure gets the calm line too.
  bot.catch(async (err) => {
    if (isStorageFailure(err.error)) return apologiseWithHotlines(err.ctx, deps);
    await onError(err).catch(() => undefined);
  });
  return { bot, desk, pending };
}
