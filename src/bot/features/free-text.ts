/**
 * Free text that no flow or relay took: follow the user's language, then
 * answer the best topic, offer the likeliest ones, or show the menu.
 */
import { Composer } from "grammy";
import { matchText } from "../../domain/knowledge/matcher.ts";
import { isBasicNeed } from "../../domain/knowledge/needs.ts";
import { isAnswerableTopic } from "../../domain/knowledge/topics.ts";
import type { BotContext } from "../context.ts";
import { answerFooter } from "../keyboards/menu.ts";
import { askDanger } from "./danger-check.ts";
import { sendFallback, sendOutOfScope, sendSuggestions, sendTopic } from "./knowledge.ts";
import { sendHumanOffer } from "./human.ts";

export const freeTextFeature = new Composer<BotContext>();

freeTextFeature.chatType("private").on("message:text", async (ctx) => {
  // The one analysis of this text (the language was already followed, before triage).
  const m = ctx.analysis?.match ?? matchText(ctx.message.text);

  const tri = ctx.triage;
  // No food, water or place to sleep: the shelter and the hotlines first; then the answer to a clear
  // question asked with it, and the danger question if the reading doubts.
  if (isBasicNeed(ctx.message.text)) {
    await ctx.reply(`${ctx.t("topics:basic_needs")}\n\n${ctx.t("common:hotlines_short")}`, { reply_markup: answerFooter(ctx.t) });
    if (m.decision === "answer" && isAnswerableTopic(m.topic)) await sendTopic(ctx, m.topic);
    if (tri?.level === "unsure") await askDanger(ctx);
    return;
  }
  // Only the statistical reader doubts, and no word of any topic was recognised (gibberish,
  // emoji): "not understood" with the hotlines and the menu, whose first button is 🆘.
  if (tri?.level === "unsure" && tri.reader === "model" && m.topic === "out_of_scope" && m.confidence === 0) {
    return sendFallback(ctx);
  }
  if (tri?.level === "unsure") {
    // A practical question asked alongside a possible sign of danger: the answer, then the one-tap danger question.
    if (m.decision === "answer" && isAnswerableTopic(m.topic)) await sendTopic(ctx, m.topic);
    return askDanger(ctx);
  }
  if (tri?.level === "past") {
    // Past danger with a practical question: the answer first, then the gentle offer of a person.
    if (m.decision === "answer" && isAnswerableTopic(m.topic)) await sendTopic(ctx, m.topic);
    await ctx.reply(ctx.t("topics:past_danger_offer"), { reply_markup: answerFooter(ctx.t) });
    return;
  }

  switch (m.topic) {
    case "greeting":
      if (m.decision === "answer") {
        await ctx.reply(ctx.t("menu:greeting"), { reply_markup: answerFooter(ctx.t) });
        return;
      }
      break;
    case "thanks":
      if (m.decision === "answer") {
        await ctx.reply(ctx.t("menu:thanks"), { reply_markup: answerFooter(ctx.t) });
        return;
      }
      break;
    case "human":
      if (m.decision === "answer") return sendHumanOffer(ctx);
      break;
    case "out_of_scope":
      // A real question outside the help line's scope ("weather today"); no signal at all
      // (gibberish, emoji) is "not understood" instead: the menu and the hotlines.
      if (m.confidence > 0) return sendOutOfScope(ctx);
      break;
    default:
      break;
  }
  if (m.decision === "answer" && m.topic !== "greeting" && m.topic !== "thanks" && m.topic !== "human") {
    return sendTopic(ctx, m.topic);
  }
  if (m.decision === "suggest" && m.candidates.length > 0) {
    return sendSuggestions(
      ctx,
      m.candidates.map((c) => c.topic),
    );
  }
  return sendFallback(ctx);
});
