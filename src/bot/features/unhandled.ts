/**
 * Last in line: whatever no feature took gets a clear, calm reply. Stickers,
 * photos, files, edits, buttons from old messages: never a crash, never silence.
 */
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { mainMenu } from "../keyboards/menu.ts";

export const unhandledFeature = new Composer<BotContext>();
const priv = unhandledFeature.chatType("private");

// A button from an old message, or one this version does not know.
priv.on("callback_query", async (ctx) => {
  await ctx.answerCallbackQuery({ text: ctx.t("unhandled:old_button") }).catch(() => undefined);
  await ctx.reply(ctx.t("unhandled:old_button_menu"), { reply_markup: mainMenu(ctx.t) });
});

priv.on("edited_message", async (ctx) => {
  // Inside a guided flow, a new message would answer the next question: point to Back instead.
  const inFlow = Object.keys(ctx.conversation.active()).length > 0;
  await ctx.reply(ctx.t(inFlow ? "flows:edited" : "unhandled:edited"));
});

priv.on("message:location", async (ctx) => {
  await ctx.reply(`${ctx.t("unhandled:location")}\n\n${ctx.t("common:hotlines_short")}`, {
    reply_markup: { remove_keyboard: true },
  });
});

priv.on(["message:photo", "message:document", "message:video"], async (ctx) => {
  await ctx.reply(ctx.t("unhandled:media"), { reply_markup: mainMenu(ctx.t) });
});

priv.on("message", async (ctx) => {
  await ctx.reply(ctx.t("unhandled:other"), { reply_markup: mainMenu(ctx.t) });
});
