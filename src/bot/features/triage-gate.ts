/**
 * Every private text goes through triage first, before any flow, relay or
 * answer: an urgent message is never swallowed. The result is left on
 * ctx.triage for later features.
 */
import type { MiddlewareFn } from "grammy";
import { triage } from "../../domain/triage/triage.ts";
import type { BotContext } from "../context.ts";
import { respondUrgent } from "./urgent.ts";

const RECENT_MAX = 3;
const RECENT_CHARS = 300;

export const triageGate: MiddlewareFn<BotContext> = async (ctx, next) => {
  // Edited messages are read too: an urgent edit must not be lost.
  const text = ctx.message?.text ?? ctx.message?.caption ?? ctx.editedMessage?.text ?? ctx.editedMessage?.caption;
  // Only a real command is skipped: "/ tolong saya dikurung" (no command entity) is read.
  const entities = ctx.message?.entities ?? ctx.editedMessage?.entities ?? [];
  const isCommand = entities.some((e) => e.type === "bot_command" && e.offset === 0);
  if (ctx.chat?.type !== "private" || text === undefined || isCommand) return next();
  const s = ctx.session;
  const result = triage(text, { awaitingDangerAnswer: s.awaitingDanger === true, recentTexts: s.recent ?? [] });
  s.recent = [...(s.recent ?? []), text.slice(0, RECENT_CHARS)].slice(-RECENT_MAX);
  ctx.triage = result;
  if (result.urgent) {
    s.awaitingDanger = false;
    await respondUrgent(ctx, result, text);
    return;
  }
  s.awaitingDanger = false;
  await next();
};
