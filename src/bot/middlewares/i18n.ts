/**
 * Language: the session's, else the user's Telegram language_code (id/en),
 * else Indonesian. Installs ctx.t, ctx.lang and ctx.setLang.
 */
import type { MiddlewareFn } from "grammy";
import { langFromCode, type Lang } from "../../domain/lang.ts";
import type { BotContext, BotDeps, FlowContext } from "../context.ts";

export function installLanguage(
  ctx: FlowContext | BotContext,
  deps: BotDeps,
  initial: Lang,
  persist?: (lang: Lang, chosen: boolean) => void,
): void {
  let lang = initial;
  let t = deps.translator.t(lang);
  Object.defineProperty(ctx, "lang", { get: () => lang, configurable: true });
  Object.defineProperty(ctx, "t", { get: () => t, configurable: true });
  ctx.setLang = (next: Lang, chosen = false) => {
    lang = next;
    t = deps.translator.t(next);
    persist?.(next, chosen);
  };
  ctx.deps = deps;
}

export function i18nMiddleware(deps: BotDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const hasSession = ctx.chatId !== undefined;
    const fromSession = hasSession ? ctx.session.lang : undefined;
    const initial = fromSession ?? langFromCode(ctx.from?.language_code);
    installLanguage(ctx, deps, initial, (lang, chosen) => {
      if (!hasSession) return;
      ctx.session.lang = lang;
      if (chosen) ctx.session.langChosen = true;
    });
    if (hasSession && !fromSession) ctx.session.lang = initial;
    await next();
  };
}
