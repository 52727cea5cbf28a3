/**
 * One tap to a person: the 🆘 danger button (first on the menu and on every
 * answer) and /sos (/darurat). It opens an urgent case at once, with the signal
 * "danger_button" so staff know there may be no text to read, and sends the
 * urgent reply: never the "are you in danger?" question first. Pressed again
 * while a case is open, staff are told again (a normal case becomes urgent) and
 * the person is told that a person already knows.
 */
import { Composer } from "grammy";
import type { TriageResult } from "../../domain/triage/triage.ts";
import type { BotContext } from "../context.ts";
import { CB } from "../keyboards/callbacks.ts";
import { respondUrgent } from "./urgent.ts";
import { commandNames } from "../commands.ts";

export const DANGER_BUTTON_RESULT: Readonly<TriageResult> = {
  urgent: true,
  level: "urgent",
  signals: ["danger_button"],
  past: false,
  matched: ["danger_button"],
  about: "self",
  reader: "button",
};

export async function pressDanger(ctx: BotContext): Promise<void> {
  ctx.session.awaitingDanger = false;
  // What staff read in the topic when the case was already open (the staff texts' language).
  const note = ctx.deps.translator.t(ctx.deps.config.STAFF_LANGUAGE)("desk:staff.danger_button_note");
  await respondUrgent(ctx, { ...DANGER_BUTTON_RESULT, signals: [...DANGER_BUTTON_RESULT.signals] }, note, { button: true });
}

export const dangerButtonFeature = new Composer<BotContext>();
const priv = dangerButtonFeature.chatType("private");

priv.callbackQuery(CB.sos, async (ctx) => {
  await ctx.answerCallbackQuery().catch(() => undefined);
  await pressDanger(ctx);
});
priv.command(commandNames("sos"), pressDanger);
