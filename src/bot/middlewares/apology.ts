/**
 * When handling an update fails, the person in a private chat is never left with
 * nothing: a calm line that their message is not lost, and the hotlines.
 */
import { langFromCode } from "../../domain/lang.ts";
import type { BotContext, BotDeps } from "../context.ts";

export async function apologiseWithHotlines(ctx: BotContext, deps: BotDeps): Promise<void> {
  if (ctx.chat?.type !== "private") return;
  // Also when the failure came before the language was known (e.g. the session store is down).
  const t = typeof ctx.t === "function" ? ctx.t : deps.translator.t(langFromCode(ctx.from?.language_code));
  await ctx.reply(`${t("common:error")}\n\n${t("common:hotlines_short")}`).catch(() => undefined);
}
