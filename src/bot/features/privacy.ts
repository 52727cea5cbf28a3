/** /forget and the settings button: delete everything stored about the user, after they confirm. */
import { Composer, InlineKeyboard } from "grammy";
import { forgetUser } from "../../storage/privacy.ts";
import type { BotContext } from "../context.ts";
import { CB } from "../keyboards/callbacks.ts";
import { answerFooter } from "../keyboards/menu.ts";
import { commandNames } from "../commands.ts";

export const privacyFeature = new Composer<BotContext>();
const priv = privacyFeature.chatType("private");

async function askForget(ctx: BotContext) {
  const kb = new InlineKeyboard().text(ctx.t("privacy:forget_yes"), CB.forgetYes).text(ctx.t("privacy:forget_no"), CB.forgetNo);
  await ctx.reply(ctx.t("privacy:forget_confirm"), { reply_markup: kb });
}

priv.command(commandNames("forget"), askForget);
priv.command(commandNames("settings"), async (ctx) => {
  await ctx.reply(ctx.t("privacy:settings"), { reply_markup: settingsKeyboard(ctx) });
});

function settingsKeyboard(ctx: BotContext) {
  return new InlineKeyboard()
    .text(ctx.t("menu:language"), CB.languagePicker)
    .row()
    .text(ctx.t("privacy:forget_button"), CB.forgetAsk)
    .row()
    .text(ctx.t("common:back_to_menu"), CB.menu);
}

priv.callbackQuery(CB.settings, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("privacy:settings"), { reply_markup: settingsKeyboard(ctx) });
});
priv.callbackQuery(CB.forgetAsk, async (ctx) => {
  await ctx.answerCallbackQuery();
  await askForget(ctx);
});
priv.callbackQuery(CB.forgetNo, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("privacy:forget_cancelled"), { reply_markup: answerFooter(ctx.t) });
});
priv.callbackQuery(CB.forgetYes, async (ctx) => {
  await ctx.answerCallbackQuery();
  const lang = ctx.lang;
  const t = ctx.t;
  await ctx.conversation.exitAll().catch(() => undefined);
  // Every row, and (the desk's hook, as for retention) the case topics in the staff group. Their updates
  // still in the inbox go too, up to this one (a message sent after it is handled).
  await forgetUser(ctx.deps.repos, ctx.chatId, "request", { upToUpdateId: ctx.update.update_id });
  // The session middleware would write the session back after this handler:
  // replace it with nothing so no trace is re-created.
  ctx.session = null as unknown as typeof ctx.session;
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply(t("privacy:forgotten", { lng: lang }));
});
