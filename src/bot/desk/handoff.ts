/**
 * The desk's hand-off, as features see it: open or continue a case and get back
 * what to tell the user (data, sent by the caller after its own reply). Passed
 * in through BotDeps.desk by the composition root (src/bot/index.ts); absent
 * when no staff group is configured.
 */
import type { InlineKeyboardMarkup } from "grammy/types";
import type { BotContext } from "../context.ts";

/** A message for the user, in their language. */
export interface UserMessage {
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

export interface HandoffResult {
  /** staff are being told */
  reached: boolean;
  /** a staff member is already talking with this user: the bot adds nothing */
  quiet: boolean;
  /** the case was already open (staff were told again) */
  existing: boolean;
  /** the case, when one was opened or continued */
  caseId?: number;
  /** for the user after the caller's own reply (staff hours, may staff write here?) */
  followUp: UserMessage[];
}

export interface UrgentRequest {
  /** triage signals (or the caller's own, e.g. "danger_button") */
  signals: readonly string[];
  /** the text for the case when the user has written nothing recent */
  text: string;
  /** triage's matched list; "photo_message_id:N" copies an earlier photo into the topic */
  matched?: readonly string[];
  /** from a button, not a message: pressed again on an open case, staff are told again */
  fromButton?: boolean;
  /** the writer already agreed that staff may write to them here (the family report asks) */
  contactConsent?: boolean;
}

export interface DeskHandoff {
  urgent(ctx: BotContext, req: UrgentRequest): Promise<HandoffResult>;
  /** a normal case (or the open one); messageIds: the user's earlier messages to copy into the topic */
  human(ctx: BotContext, extra?: { messageIds?: readonly number[] }): Promise<HandoffResult>;
}

export const NOT_REACHED: HandoffResult = { reached: false, quiet: false, existing: false, followUp: [] };
