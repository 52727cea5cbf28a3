/** /start, /help, /menu and the menu button: the welcome with the privacy notice, and the main menu. */
import { Composer } from "grammy";
import { sendFlowReminder } from "../conversations/common.ts";
import type { BotContext } from "../context.ts";
import { CB } from "../keyboards/callbacks.ts";
import { mainMenu } from "../keyboards/menu.ts";
import { commandNames } from "../commands.ts";

/** The main menu; inside a guided flow, then where the person is in it (Continue / Stop). */
export async function sendMenu(ctx: BotContext, intro?: string): Promise<void> {
  await ctx.reply(intro ?? ctx.t("menu:title"), { reply_markup: mainMenu(ctx.t) });
  await sendFlowReminder(ctx);
}

/** The first message: who runs the bot, what is stored, who reads it, how to delete it. */
export async function sendWelcome(ctx: BotContext): Promise<void> {
  await ctx.reply(
    ctx.t("start:welcome", { operator: ctx.deps.config.OPERATOR_NAME, retention: ctx.deps.config.RETENTION_DAYS }),
  );
  ctx.session.welcomed = true;
  await sendMenu(ctx);
}

export const welcomeFeature = new Composer<BotContext>();
const priv = welcomeFeature.chatType("private");

priv.command(commandNames("start"), sendWelcome);
priv.command(commandNames("help"), async (ctx) => {
  await ctx.reply(ctx.t("start:help", { operator: ctx.deps.config.OPERATOR_NAME }));
  await sendMenu(ctx);
});
priv.command(commandNames("menu"), (ctx) => sendMenu(ctx));
priv.callbackQuery(CB.menu, async (ctx) => {
  await ctx.answerCallbackQuery();
  await sendMenu(ctx);
});
