/**
 * /sources (/sumber): every fact the bot shows, with where it comes from and
 * the date it was checked, in the person's language. Answers point here
 * ("checked … · sources: /sources"), which keeps the welcome's promise.
 */
import { Composer } from "grammy";
import type { Facts } from "../../content/facts.ts";
import { formatDate } from "../../domain/format.ts";
import type { Lang } from "../../domain/lang.ts";
import type { TFunction } from "../../i18n.ts";
import type { BotContext } from "../context.ts";
import { answerFooter } from "../keyboards/menu.ts";
import { commandNames } from "../commands.ts";

/** Telegram allows 4,096 characters a message; stay well below. */
const MAX_CHARS = 3_500;
const MAX_VALUE = 90;

const short = (s: string) => (s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s);

/** The sources as messages of at most MAX_CHARS characters, first one with the title. */
export function renderSources(t: TFunction, facts: Facts, lang: Lang): string[] {
  const lines: string[] = [];
  for (const [id, fact] of Object.entries(facts.file.facts)) {
    if (!fact.show) continue;
    const v = fact.value;
    const value = typeof v === "string" ? v : "latitude" in v ? `${v.latitude}, ${v.longitude}` : v[lang];
    const what = fact.label ? `${fact.label[lang]}: ${value}` : value;
    lines.push(
      t("sources:line", {
        what: short(what),
        source: fact.source,
        date: formatDate(lang, fact.checked),
        note: fact.verified ? "" : ` ${t("common:unverified_note")}`,
        id,
      }),
    );
  }
  const messages: string[] = [];
  let current = t("sources:title");
  for (const line of lines) {
    if (current.length + line.length + 2 > MAX_CHARS) {
      messages.push(current);
      current = line;
    } else current = `${current}\n\n${line}`;
  }
  messages.push(current);
  return messages;
}

export async function sendSources(ctx: BotContext): Promise<void> {
  const parts = renderSources(ctx.t, ctx.deps.facts, ctx.lang);
  for (const [i, text] of parts.entries()) {
    const last = i === parts.length - 1;
    await ctx.reply(text, { link_preview_options: { is_disabled: true }, ...(last ? { reply_markup: answerFooter(ctx.t) } : {}) });
  }
}

export const sourcesFeature = new Composer<BotContext>();
sourcesFeature.chatType("private").command(commandNames("sources"), sendSources);
