/**
 * What the user gets the moment triage says "urgent": calmly, that a person is
 * being told; who to contact in immediate danger; short safety advice; and,
 * without insisting, a location button and a question whether staff may write
 * here. The staff desk registers the hand-off through setUrgentHandoff.
 */
import { Keyboard } from "grammy";
import type { TriageResult } from "../../domain/triage/triage.ts";
import type { BotContext } from "../context.ts";

/**
 * Hands an urgent message to the staff desk. reached: staff are being told.
 * quiet: a staff member is already talking with this user, so the bot adds nothing.
 * after: sent right after the urgent reply (the desk asks whether staff may write here).
 */
export type UrgentHandoff = (
  ctx: BotContext,
  result: TriageResult,
  text: string,
) => Promise<{ reached: boolean; quiet?: boolean; after?: () => Promise<void> }>;
let handoff: UrgentHandoff = async () => ({ reached: false });
export function setUrgentHandoff(fn: UrgentHandoff): void {
  handoff = fn;
}

/**
 * Only the desk hand-off, without the reply to a person in danger: for callers
 * that word their own reply (the family danger report: the sender is safe in
 * Indonesia, so no location button and no "stay calm").
 */
export function handOffUrgent(ctx: BotContext, result: TriageResult, text: string) {
  return handoff(ctx, result, text);
}

export async function respondUrgent(ctx: BotContext, result: TriageResult, text: string): Promise<void> {
  const { reached: deskReached, quiet, after } = await handoff(ctx, result, text);
  if (quiet) return;
  const kb = new Keyboard().requestLocation(ctx.t("urgent:share_location")).row().text(ctx.t("urgent:no_location")).oneTime().resized();
  await ctx.reply(
    [deskReached ? ctx.t("urgent:person_told") : ctx.t("urgent:no_desk"), ctx.t("urgent:emergency"), ctx.t("urgent:safety")].join("\n\n"),
    { reply_markup: kb },
  );
  // The desk's follow-up (may staff write here? staff hours), after the reply that must come first.
  await after?.();
}
