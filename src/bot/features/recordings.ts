/**
 * Voice notes, audio and video notes: the bot cannot listen, but a person can.
 * Inside an open case the desk's relay has already passed the recording to
 * staff, and the person is told so. Outside a case the reply says that the bot
 * cannot listen, and offers the danger button, "talk to a person", and to pass
 * this recording to staff (only after the person agrees, by pressing the button).
 * With no staff group configured it says plainly that nobody from a help line
 * will hear it, with the numbers to call instead.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";
import { CB, parseRecording } from "../keyboards/callbacks.ts";
import { answerFooter, dangerButton, mainMenu } from "../keyboards/menu.ts";
import { requestHuman } from "./human.ts";
import { hasDesk } from "./urgent.ts";

export const recordingsFeature = new Composer<BotContext>();
const priv = recordingsFeature.chatType("private");

priv.on(["message:voice", "message:audio", "message:video_note"], async (ctx) => {
  if (!hasDesk(ctx)) {
    await ctx.reply(`${ctx.t("unhandled:voice_no_desk")}\n\n${ctx.t("common:hotlines_short")}`, {
      reply_markup: mainMenu(ctx.t),
    });
    return;
  }
  const open = await ctx.deps.repos.cases.openFor(ctx.from.id);
  if (open) {
    // The relay (before this feature) has copied it into the case's topic.
    await ctx.reply(ctx.t("unhandled:voice_passed"), { reply_markup: answerFooter(ctx.t) });
    return;
  }
  const kb = dangerButton(ctx.t)
    .row()
    .text(ctx.t("unhandled:voice_pass"), CB.passRecording(ctx.message.message_id))
    .row()
    .text(ctx.t("common:talk_to_person"), CB.human)
    .row()
    .text(ctx.t("common:back_to_menu"), CB.menu);
  await ctx.reply(ctx.t("unhandled:voice"), { reply_markup: kb });
});

priv.callbackQuery(/^vr:/, async (ctx) => {
  await ctx.answerCallbackQuery().catch(() => undefined);
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  const messageId = parseRecording(ctx.callbackQuery.data);
  if (messageId === undefined) {
    await ctx.reply(ctx.t("unhandled:old_button_menu"), { reply_markup: mainMenu(ctx.t) });
    return;
  }
  const reached = await requestHuman(ctx, { messageIds: [messageId] });
  if (!reached) {
    await ctx.reply(`${ctx.t("unhandled:voice_no_desk")}\n\n${ctx.t("common:hotlines_short")}`, {
      reply_markup: new InlineKeyboard().text(ctx.t("common:back_to_menu"), CB.menu),
    });
  }
});
