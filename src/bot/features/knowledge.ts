/**
 * Topic answers: from menu buttons and from free text (via the matcher). The
 * extra buttons under an answer (a guided flow's start) come from
 * deps.topicExtras, which the composition root (createBot) passes in.
 */
import { Composer } from "grammy";
import type { TopicId } from "../../domain/knowledge/topics.ts";
import type { BotContext } from "../context.ts";
import { parseTopic } from "../keyboards/callbacks.ts";
import { answerFooter, mainMenu, suggestionKeyboard } from "../keyboards/menu.ts";

export async function sendTopic(ctx: BotContext, topic: TopicId): Promise<void> {
  const body = `${ctx.t(`topics:${topic}.title`)}\n\n${ctx.t(`topics:${topic}.body`)}\n\n${ctx.t("topics:footer_hotline")}`;
  const kb = answerFooter(ctx.t, ctx.deps.topicExtras?.(ctx, topic));
  await ctx.reply(body, { reply_markup: kb, link_preview_options: { is_disabled: true } });
  if (topic === "embassy_contact") {
    const pin = ctx.deps.facts.location("kbri_map_pin");
    if (pin) {
      // The pin comes after the text it belongs to, and is extra: a failure is only logged.
      await ctx
        .replyWithVenue(pin.latitude, pin.longitude, ctx.t("topics:location_title"), ctx.t("topics:map_pin_caption"))
        .catch((err: unknown) => ctx.log.warn({ err }, "map pin not sent"));
    }
  }
}

export async function sendSuggestions(ctx: BotContext, topics: readonly TopicId[]): Promise<void> {
  await ctx.reply(ctx.t("menu:suggest"), { reply_markup: suggestionKeyboard(ctx.t, topics) });
}

/** Nothing matched: the menu and the hotlines, so nobody is left without a number. */
export async function sendFallback(ctx: BotContext): Promise<void> {
  await ctx.reply(`${ctx.t("menu:fallback")}\n\n${ctx.t("common:hotlines_short")}`, { reply_markup: mainMenu(ctx.t) });
}

export async function sendOutOfScope(ctx: BotContext): Promise<void> {
  await ctx.reply(`${ctx.t("menu:out_of_scope")}\n\n${ctx.t("common:hotlines_short")}`, { reply_markup: mainMenu(ctx.t) });
}

export const knowledgeFeature = new Composer<BotContext>();

knowledgeFeature.chatType("private").callbackQuery(/^t:/, async (ctx) => {
  const topic = parseTopic(ctx.callbackQuery.data);
  await ctx.answerCallbackQuery();
  if (!topic) return sendFallback(ctx);
  await sendTopic(ctx, topic);
});
