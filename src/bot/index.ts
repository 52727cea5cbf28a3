/**
 * The bot: every feature in one ordered list. createBot(deps, options) builds
 * it without starting anything; main.ts decides polling, webhook or terminal.
 */
import { conversations } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotError, type Transformer, session } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { kvStorage } from "../storage/repositories/kv.ts";
import { createFlowsFeature } from "./conversations/index.ts";
import type { BotContext, BotDeps, FlowContext, SessionData } from "./context.ts";
import { dangerButtonFeature } from "./features/danger-button.ts";
import { dangerCheckFeature } from "./features/danger-check.ts";
import { createDeskFeature, type DeskFeature } from "./features/desk.ts";
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
import { lockKey, updateGuard } from "./middlewares/update-guard.ts";
import { tolerateStaleCallbacks } from "./middlewares/stale-callbacks.ts";
import { langFromCode } from "../domain/lang.ts";

export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

export interface BotOptions {
  token: string;
  botInfo?: UserFromGetMe;
  apiRoot?: string;
  /** replaces HTTP (tests, terminal, benchmark): sees every call, also inside conversations */
  fetch?: typeof fetch;
  /** API transformers for real network use (auto-retry); also installed inside conversations */
  transformers?: Transformer[];
}

export interface JalanPulangBot {
  bot: Bot<BotContext>;
  desk: DeskFeature;
}

export function createBot(deps: BotDeps, options: BotOptions): JalanPulangBot {
  const bot = new Bot<BotContext>(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: {
      ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
  });
  const countCalls: Transformer = (prev, method, payload, signal) => {
    deps.metrics.replies.inc({ method });
    return prev(method, payload, signal);
  };
  const transformers = [countCalls, tolerateStaleCallbacks(deps.logger), ...(options.transformers ?? [])];
  for (const t of transformers) bot.api.config.use(t);

  const { kv } = deps.repos;
  const desk = createDeskFeature(deps, bot.api);
  const flows = createFlowsFeature(deps);

  bot.use(sequentialize(lockKey));
  bot.use(async (ctx, next) => {
    ctx.deps = deps;
    ctx.log = deps.logger;
    await next();
  });
  bot.use(updateGuard(deps));
  const onError = async (err: BotError<BotContext>) => {
    const ctx = err.ctx;
    deps.metrics.errors.inc({ kind: err.error instanceof Error ? err.error.name : "unknown" });
    deps.logger.error({ err: err.error, update_id: ctx.update.update_id }, "error while handling update");
    // Never leave the person with nothing: a calm line with the hotlines.
    if (ctx.chat?.type === "private") {
      // Also when the failure came before the language was known (e.g. the session store is down).
      const t = typeof ctx.t === "function" ? ctx.t : deps.translator.t(langFromCode(ctx.from?.language_code));
      await ctx.reply(`${t("common:error")}\n\n${t("common:hotlines_short")}`).catch(() => undefined);
    }
  };
  // Errors stop at this boundary: the update still counts as handled, the user gets a reply.
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

  bot.catch(onError);
  return { bot, desk };
}
