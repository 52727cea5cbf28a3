/**
 * The user side while a case is open (right after the triage gate): the
 * user's messages go into the case's topic, and the bot stays quiet while a
 * staff member is active. Also the answer to "may staff write to you here?".
 */
import { Composer } from "grammy";
import { staffActive } from "../../domain/cases/case.ts";
import type { BotContext } from "../context.ts";
import type { DeskEnv } from "./env.ts";
import { DESK_CONSENT_RE } from "./render.ts";
import type { CaseService } from "./service.ts";

export function createUserRelay(env: DeskEnv, cases: CaseService): Composer<BotContext> {
  const { repos } = env.deps;
  const relay = new Composer<BotContext>();
  const priv = relay.chatType("private");

  priv.callbackQuery(DESK_CONSENT_RE, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const v = ctx.match[1] as "y" | "n" | "yn";
    await cases.consent(ctx, v);
    await ctx.reply(ctx.t(v === "n" ? "desk:consent_saved_no" : "desk:consent_saved_yes"));
  });

  priv.use(async (ctx, next) => {
    const msg = ctx.message ?? ctx.editedMessage;
    if (!msg || !ctx.from) return next();
    // A running (not paused) guided flow takes its answers: they are not relayed as bare words.
    if (Object.keys(ctx.conversation?.active() ?? {}).length > 0 && !ctx.session.flowPaused && !ctx.message?.location) return next();
    const c = await repos.cases.openFor(ctx.from.id);
    if (!c || (await cases.isBlocked(ctx.from.id))) return next();
    if (ctx.message?.text === ctx.t("urgent:no_location")) {
      await ctx.reply(ctx.t("desk:no_location_ok"), { reply_markup: { remove_keyboard: true } });
      return;
    }
    await cases.userMessage(ctx, c, msg, ctx.editedMessage !== undefined);
    if (ctx.message?.location) {
      await ctx.reply(ctx.t("urgent:location_thanks"), { reply_markup: { remove_keyboard: true } });
      return;
    }
    if (staffActive(c.status)) return; // a person is talking with them: the bot stays quiet
    await next();
  });
  return relay;
}
