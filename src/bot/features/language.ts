/** /language: buttons to choose, or /language id|en directly; the choice is remembered. */
import { Composer, type MiddlewareFn } from "grammy";
import { replyLanguage } from "../../domain/analysis.ts";
import { isLang } from "../../domain/lang.ts";
import type { BotContext } from "../context.ts";
import { inFlow } from "./triage-gate.ts";
import { CB, parseLang } from "../keyboards/callbacks.ts";
import { languageKeyboard, languagePrompt, mainMenu } from "../keyboards/menu.ts";
import { commandNames } from "../commands.ts";

export const languageFeature = new Composer<BotContext>();
const priv = languageFeature.chatType("private");

priv.command(commandNames("language"), async (ctx) => {
  const arg = ctx.match.trim().toLowerCase();
  if (isLang(arg)) {
    ctx.setLang(arg, true);
    await ctx.reply(ctx.t("language:switched"), { reply_markup: mainMenu(ctx.t) });
    return;
  }
  await ctx.reply(languagePrompt(ctx.deps.translator), { reply_markup: languageKeyboard() });
});

priv.callbackQuery(CB.languagePicker, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply(languagePrompt(ctx.deps.translator), { reply_markup: languageKeyboard() });
});

priv.callbackQuery(/^l:/, async (ctx) => {
  const lang = parseLang(ctx.callbackQuery.data);
  if (!lang) {
    await ctx.answerCallbackQuery();
    return;
  }
  ctx.setLang(lang, true);
  await ctx.answerCallbackQuery(ctx.t("language:switched_short"));
  await ctx.reply(ctx.t("language:switched"), { reply_markup: mainMenu(ctx.t) });
});

/**
 * Follow the language the person writes in, before triage and any answer, so
 * that an urgent message written in Indonesian on an English phone is answered
 * in Indonesian. An explicit choice (/language) is kept; short or ambiguous
 * text ("ok", "kbri") never switches. Uses the message's one analysis.
 */
export const followLanguage: MiddlewareFn<BotContext> = async (ctx, next) => {
  const a = ctx.analysis;
  if (a !== undefined && !a.text.startsWith("/") && ctx.session) {
    const lang = replyLanguage(a.match, ctx.lang, ctx.session.langChosen === true, inFlow(ctx));
    if (lang !== ctx.lang) ctx.setLang(lang);
  }
  await next();
};
