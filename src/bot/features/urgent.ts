/**
 * What the user gets the moment triage says "urgent": calmly, that a person is
 * being told; who to contact in immediate danger; short safety advice; and,
 * without insisting, a location button and a question whether staff may write
 * here. The staff desk's hand-off comes in through ctx.deps.desk.
 */
import { Keyboard } from "grammy";
import type { TriageResult } from "../../domain/triage/triage.ts";
import type { BotContext } from "../context.ts";
import { type HandoffResult, NOT_REACHED, type UrgentRequest } from "../desk/handoff.ts";

/**
 * Only the desk hand-off, without the reply to a person in danger: for callers
 * that word their own reply (the family danger report: the sender is safe in
 * Indonesia, so no location button and no "stay calm"). Returns what to tell the
 * user after the caller's own reply (followUp).
 */
export async function handOffUrgent(ctx: BotContext, req: UrgentRequest): Promise<HandoffResult> {
  return (await ctx.deps.desk?.urgent(ctx, req)) ?? NOT_REACHED;
}

/** The desk's follow-up messages (staff hours, may staff write here?), after the caller's reply. */
export async function sendFollowUp(ctx: BotContext, r: HandoffResult): Promise<void> {
  for (const m of r.followUp) await ctx.reply(m.text, m.reply_markup ? { reply_markup: m.reply_markup } : {});
}

export async function respondUrgent(ctx: BotContext, result: TriageResult, text: string): Promise<void> {
  const r = await handOffUrgent(ctx, { signals: result.signals, matched: result.matched, text });
  const { reached: deskReached, quiet } = r;
  if (quiet) return;
  const kb = new Keyboard().requestLocation(ctx.t("urgent:share_location")).row().text(ctx.t("urgent:no_location")).oneTime().resized();
  await ctx.reply(
    [deskReached ? ctx.t("urgent:person_told") : ctx.t("urgent:no_desk"), ctx.t("urgent:emergency"), ctx.t("urgent:safety")].join("\n\n"),
    { reply_markup: kb },
  );
  // The desk's follow-up (may staff write here? staff hours), after the reply that must come first.
  await sendFollowUp(ctx, r);
}
