/**
 * Every private text is read once (language, triage, topic: ctx.analysis), and
 * goes through triage before any flow, relay or answer: an urgent message is
 * never swallowed. An urgent message gets the reply that fits its danger, and a
 * practical question in the same message is answered right after. The result
 * is left on ctx.triage for later features.
 */
import { InlineKeyboard, type MiddlewareFn } from "grammy";
import { analyseMessage } from "../../domain/analysis.ts";
import { triage } from "../../domain/triage/triage.ts";
import { type AnswerableTopicId, isAnswerableTopic } from "../../domain/knowledge/topics.ts";
import type { MatchResult } from "../../domain/knowledge/matcher.ts";
import { FLOW_CB } from "../conversations/common.ts";
import type { BotContext } from "../context.ts";
import { sendTopic } from "./knowledge.ts";
import { respondUrgent } from "./urgent.ts";

const RECENT_MAX = 3;
const RECENT_CHARS = 300;

/** The text of a private message or edit, unless it is a real command ("/ tolong" without a command entity is read). */
function readableText(ctx: BotContext): string | undefined {
  if (ctx.chat?.type !== "private") return undefined;
  const text = ctx.message?.text ?? ctx.message?.caption ?? ctx.editedMessage?.text ?? ctx.editedMessage?.caption;
  const entities = ctx.message?.entities ?? ctx.editedMessage?.entities ?? [];
  const isCommand = entities.some((e) => e.type === "bot_command" && e.offset === 0);
  return isCommand ? undefined : text;
}

/** Reads the text once, with what the session knows (the danger question just asked, the last few texts). */
export const analyseText: MiddlewareFn<BotContext> = async (ctx, next) => {
  const text = readableText(ctx);
  if (text !== undefined) {
    const s = ctx.session;
    ctx.analysis = analyseMessage(text, { awaitingDangerAnswer: s.awaitingDanger === true, recentTexts: s.recent ?? [] });
  }
  await next();
};

/** Topics whose answer adds something after an urgent reply (which already gives the numbers and safety advice). */
const QUESTION_AFTER_URGENT: ReadonlySet<AnswerableTopicId> = new Set([
  "embassy_contact",
  "passport",
  "return_home",
  "lapor_diri",
  "scam_warning",
]);

function questionAfterUrgent(match: MatchResult): AnswerableTopicId | undefined {
  if (match.decision !== "answer" || !isAnswerableTopic(match.topic)) return undefined;
  return QUESTION_AFTER_URGENT.has(match.topic) ? match.topic : undefined;
}

/** A guided flow is waiting for an answer (names, places and dates: short, unusual texts). */
export function inFlow(ctx: BotContext): boolean {
  return Object.keys(ctx.conversation?.active() ?? {}).length > 0;
}

async function hasOpenCase(ctx: BotContext): Promise<boolean> {
  if (ctx.from === undefined || ctx.deps.config.STAFF_CHAT_ID === undefined) return false;
  return (await ctx.deps.repos.cases.openFor(ctx.from.id)) !== undefined;
}

export const triageGate: MiddlewareFn<BotContext> = async (ctx, next) => {
  const a = ctx.analysis;
  if (a === undefined) return next();
  const s = ctx.session;
  // Inside a flow, or once a case is open (the person's messages reach staff anyway), only the word
  // rules raise an alarm: the statistical reader also takes places and names for signs of danger.
  const rulesOnly = a.triage.reader === "model" && (inFlow(ctx) || (await hasOpenCase(ctx)));
  let result = rulesOnly ? triage(a.text, {}, { model: false }) : a.triage;
  // In the family helper the writer reports a relative: the danger is the relative's.
  if (result.urgent && ctx.conversation?.active().family !== undefined) {
    result = { ...result, about: "other", signals: result.signals.includes("family_report") ? result.signals : [...result.signals, "family_report"] };
  }
  ctx.triage = result;
  s.awaitingDanger = false;
  if (result.urgent) {
    // The danger was handed over: it must not make the next, unrelated message urgent too.
    s.recent = [];
    const paused = inFlow(ctx);
    if (paused) s.flowPaused = true;
    await respondUrgent(ctx, result, a.text, { question: questionAfterUrgent(a.match), answer: sendTopic });
    if (paused) {
      await ctx.reply(ctx.t("flows:paused"), {
        reply_markup: new InlineKeyboard().text(ctx.t("flows:resume"), FLOW_CB.resume).text(ctx.t("flows:stop"), FLOW_CB.stop),
      });
    }
    return;
  }
  s.recent = [...(s.recent ?? []), a.text.slice(0, RECENT_CHARS)].slice(-RECENT_MAX);
  await next();
};
