/**
 * The urgent reply's keyboard button "Don't send location": a plain OK that
 * also removes the keyboard. Before triage and the topic matcher, so the
 * button's text is never read as a question ("Did you mean one of these?").
 */
import { Composer } from "grammy";
import { LANGS } from "../../domain/lang.ts";
import type { BotContext } from "../context.ts";

export const noLocationFeature = new Composer<BotContext>();

noLocationFeature.chatType("private").on("message:text", async (ctx, next) => {
  const text = ctx.message.text;
  const isButton = LANGS.some((lang) => ctx.deps.translator.t(lang)("urgent:no_location") === text);
  if (!isButton) return next();
  await ctx.reply(ctx.t("urgent:no_location_ok"), { reply_markup: { remove_keyboard: true } });
});
