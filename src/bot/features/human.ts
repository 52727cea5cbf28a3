/**
 * Asking for a person, at any time: /human or the button. The staff desk
 * registers the real hand-off through setHumanRequest; until then (or when no
 * staff group is configured) the user gets the hotline numbers.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import { CB } from "../keyboards/callbacks.ts";

/** Opens (or continues) a normal-priority case; returns false when no desk is configured. */
export type HumanRequest = (ctx: BotContext, extra?: { messageIds?: readonly number[] }) => Promise<boolean>;
let humanRequest: HumanRequest = async () => false;
export function setHumanRequest(fn: HumanRequest): void {
  humanRequest = fn;
}

/** Opens (or continues) a case; false when no staff group is configured. */
export function requestHuman(ctx: BotContext, extra?: { messageIds?: readonly number[] }): Promise<boolean> {
  return humanRequest(ctx, extra);
}

export async function sendHumanOffer(ctx: BotContext): Promise<void> {
  const reached = await humanRequest(ctx);
  if (reached) return;
  // Only the way back: a "talk to a person" button here would lead to this same message.
  const kb = new InlineKeyboard().text(ctx.t("common:back_to_menu"), CB.menu);
  await ctx.reply(`${ctx.t("human:no_desk")}\n\n${ctx.t("common:hotlines_short")}`, { reply_markup: kb });
}

export const humanFeature = new Composer<BotContext>();
const priv = humanFeature.chatType("private");
priv.command(["human", "manusia", "orang", "staff", "petugas"], sendHumanOffer);
priv.callbackQuery(CB.human, async (ctx) => {
  await ctx.answerCallbackQuery();
  await sendHumanOffer(ctx);
});
