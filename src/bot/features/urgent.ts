/**
 * What the user gets the moment a message (or the danger button) is urgent: a
 * short reply that fits the danger, and a person told. A person who wants to
 * die gets a calm crisis reply that stays with them; a medical emergency gets
 * medical help first; a family member reporting a relative gets a reply
 * addressed to them, asking what staff need to know, and no location button;
 * everyone else gets the KBRI hotline, the police line, short safety advice and,
 * without insisting, a location button. A practical question in the same
 * message is answered right after. The staff desk registers the hand-off
 * through setUrgentHandoff.
 */
import { Keyboard } from "grammy";
import type { AnswerableTopicId } from "../../domain/knowledge/topics.ts";
import type { TriageResult } from "../../domain/triage/triage.ts";
import type { BotContext } from "../context.ts";

/**
 * Hands an urgent message to the staff desk. reached: staff are being told.
 * quiet: a staff member is already talking with this user, so the bot adds nothing.
 * existing: the case was already open (staff were told again).
 * after: sent right after the urgent reply (the desk asks whether staff may write here).
 */
export type UrgentHandoff = (
  ctx: BotContext,
  result: TriageResult,
  text: string,
) => Promise<{ reached: boolean; quiet?: boolean; existing?: boolean; after?: () => Promise<void> }>;
let handoff: UrgentHandoff = async () => ({ reached: false });
export function setUrgentHandoff(fn: UrgentHandoff): void {
  handoff = fn;
}

/** Whether a staff group is configured at all (no group: nobody from a help line reads the chat). */
export const hasDesk = (ctx: BotContext): boolean => ctx.deps.config.STAFF_CHAT_ID !== undefined;

/**
 * Only the desk hand-off, without the reply to a person in danger: for callers
 * that word their own reply (the family danger report: the sender is safe in
 * Indonesia, so no location button and no "stay calm").
 */
export function handOffUrgent(ctx: BotContext, result: TriageResult, text: string) {
  return handoff(ctx, result, text);
}

export type UrgentReplyKind = "self_harm" | "medical" | "family" | "danger";

/** Which reply fits the danger: self-harm first, then a relative's danger, then medical, else the general one. */
export function urgentReplyKind(result: TriageResult): UrgentReplyKind {
  if (result.signals.includes("self_harm")) return "self_harm";
  if (result.about === "other" && result.signals.includes("family_report")) return "family";
  if (result.signals.includes("medical_denied")) return "medical";
  return "danger";
}

function locationKeyboard(ctx: BotContext): Keyboard {
  return new Keyboard()
    .requestLocation(ctx.t("urgent:share_location"))
    .row()
    .text(ctx.t("urgent:no_location"))
    .oneTime()
    .resized();
}

/** The reply's paragraphs and whether it offers the location button. */
function urgentReply(ctx: BotContext, kind: UrgentReplyKind, reached: boolean): { text: string; location: boolean } {
  const t = ctx.t;
  switch (kind) {
    case "self_harm":
      return {
        text: [t("urgent:crisis_intro"), reached ? t("urgent:crisis_person_told") : t("urgent:crisis_no_desk"), t("urgent:crisis_numbers"), t("urgent:crisis_stay")].join("\n\n"),
        location: false,
      };
    case "medical":
      return {
        text: [t("urgent:medical_first"), reached ? t("urgent:person_told") : t("urgent:no_desk"), t("urgent:medical_kbri")].join("\n\n"),
        location: true,
      };
    case "family":
      return {
        text: [reached ? t("urgent:family_told") : t("urgent:family_no_desk"), t("urgent:family_ask"), t("urgent:family_numbers")].join("\n\n"),
        location: false,
      };
    case "danger":
      return {
        text: [reached ? t("urgent:person_told") : t("urgent:no_desk"), t("urgent:emergency"), t("urgent:safety")].join("\n\n"),
        location: true,
      };
  }
}

export interface UrgentOptions {
  /** a practical question in the same message, answered right after the urgent reply */
  question?: AnswerableTopicId;
  /** answers a topic (knowledge feature); passed in to keep features free of cycles */
  answer?: (ctx: BotContext, topic: AnswerableTopicId) => Promise<void>;
  /** from the danger button or /sos: never quiet, and "a person already knows" when pressed again */
  button?: boolean;
}

export async function respondUrgent(ctx: BotContext, result: TriageResult, text: string, options: UrgentOptions = {}): Promise<void> {
  const { reached, quiet, existing, after } = await handoff(ctx, result, text);
  if (options.button && existing) {
    // Pressed again while a case is open: staff were told again; say so, with the numbers.
    await ctx.reply([ctx.t("urgent:sos_again"), ctx.t("urgent:emergency")].join("\n\n"), {
      reply_markup: locationKeyboard(ctx),
    });
    await after?.();
    return;
  }
  if (quiet && !options.button) return;
  const kind = urgentReplyKind(result);
  const reply = urgentReply(ctx, kind, reached);
  await ctx.reply(reply.text, {
    reply_markup: reply.location ? locationKeyboard(ctx) : { remove_keyboard: true },
    link_preview_options: { is_disabled: true },
  });
  // The desk's follow-up (may staff write here? staff hours), after the reply that must come first.
  await after?.();
  if (options.question && options.answer) await options.answer(ctx, options.question);
}
