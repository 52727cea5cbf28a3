/**
 * The bot serves private chats and the staff group only. Added to any other
 * group, it says one neutral line and leaves.
 */
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";

export function isStaffChat(ctx: BotContext): boolean {
  const staff = ctx.deps.config.STAFF_CHAT_ID;
  return staff !== undefined && ctx.chatId === staff;
}

export const groupsFeature = new Composer<BotContext>();

groupsFeature.chatType(["group", "supergroup", "channel"]).use(async (ctx, next) => {
  if (isStaffChat(ctx)) return next();
  const esc = ctx.deps.config.ESCALATION_CHAT_ID;
  if (esc !== undefined && ctx.chatId === esc) return; // escalation chat: the bot only posts there
  // Leave quietly; only say something when added (not on every message).
  if (ctx.myChatMember && ["member", "administrator"].includes(ctx.myChatMember.new_chat_member.status)) {
    await ctx.reply(ctx.t("common:groups_not_supported")).catch(() => undefined);
  }
  if (ctx.myChatMember && ["left", "kicked"].includes(ctx.myChatMember.new_chat_member.status)) return;
  await ctx.leaveChat().catch((err: unknown) => ctx.log.warn({ err }, "could not leave group"));
});
