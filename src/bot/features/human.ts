/**
 * Asking for a person, at any time: /human or the button. The staff desk's
 * hand-off comes in through ctx.deps.desk (set by createBot); without a staff
 * group the user gets the hotline numbers.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import { CB } from "../keyboards/callbacks.ts";
import { sendFollowUp } from "./urgent.ts";
import { commandNames } from "../commands.ts";

/**
 * Opens (or continues) a case and tells the user (messageIds: earlier messages,
 * e.g. a voice note passed on with consent, copied into the topic); false when no
 * staff group is configured.
 */
export async function requestHuman(ctx: BotContext, extra?: { messageIds?: readonly number[] }): Promise<boolean> {
  const r = await ctx.deps.desk?.human(ctx, extra);
  if (!r?.reached) return false;
  await sendFollowUp(ctx, r);
  return true;
}

export async function sendHumanOffer(ctx: BotContext): Promise<void> {
  const reached = await requestHuman(ctx);
  if (reached) return;
  // Only the way back: a "talk to a person" button here would lead to this same message.
  const kb = new InlineKeyboard().text(ctx.t("common:back_to_menu"), CB.menu);
  await ctx.reply(`${ctx.t("human:no_desk")}\n\n${ctx.t("common:hotlines_short")}`, { reply_markup: kb });
}

export const humanFeature = new Composer<BotContext>();
const priv = humanFeature.chatType("private");
priv.command(commandNames("human"), sendHumanOffer);
priv.callbackQuery(CB.human, async (ctx) => {
  await ctx.answerCallbackQuery();
  await sendHumanOffer(ctx);
});
