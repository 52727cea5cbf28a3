/**
 * When triage is unsure (a bare "tolong", "please help me"), ask one question
 * with a one-tap answer: "Are you in danger now?". Yes: urgent. No: the menu.
 * A typed answer is read by triage with the awaitingDangerAnswer context.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import { respondUrgent } from "./urgent.ts";
import { sendMenu } from "./welcome.ts";

export const DANGER_YES = "dg:y";
export const DANGER_NO = "dg:n";

export async function askDanger(ctx: BotContext): Promise<void> {
  ctx.session.awaitingDanger = true;
  const kb = new InlineKeyboard().text(ctx.t("urgent:danger_yes"), DANGER_YES).text(ctx.t("urgent:danger_no"), DANGER_NO);
  await ctx.reply(ctx.t("urgent:danger_question"), { reply_markup: kb });
}

export const dangerCheckFeature = new Composer<BotContext>();
const priv = dangerCheckFeature.chatType("private");

priv.callbackQuery(DANGER_YES, async (ctx) => {
  await ctx.answerCallbackQuery();
  ctx.session.awaitingDanger = false;
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await respondUrgent(
    ctx,
    { urgent: true, level: "urgent", signals: ["cry_for_help"], past: false, matched: ["danger_check:yes"] },
    ctx.t("urgent:danger_yes"),
  );
});
priv.callbackQuery(DANGER_NO, async (ctx) => {
  await ctx.answerCallbackQuery();
  ctx.session.awaitingDanger = false;
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await sendMenu(ctx, ctx.t("urgent:danger_no_reply"));
});
