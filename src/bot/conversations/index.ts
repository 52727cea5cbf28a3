/**
 * Guided flows (@grammyjs/conversations): passport replacement (SPLP), going
 * home, and help for families. Entry: /passport /splp, /pulang /gohome,
 * /keluarga /family, and buttons under the matching topic answers; /mychecklist
 * shows the saved checklist and plan; /cancel, /batal, "batal", "cancel" and the
 * Stop button leave. One flow at a time: starting one stops any other (and says so).
 *
 * Runs after the triage gate, so an urgent message typed mid-flow is answered
 * at once and never reaches the flow; the flow stays paused at its question.
 */
import { createConversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard } from "grammy";
import { isChecklistAnswers } from "../../domain/flows/checklist.ts";
import type { TopicId } from "../../domain/knowledge/topics.ts";
import { formatDate } from "../../domain/format.ts";
import { isLang, type Lang } from "../../domain/lang.ts";
import type { BotContext, BotDeps, FlowContext, TopicExtras } from "../context.ts";
import { answerFooter, mainMenu } from "../keyboards/menu.ts";
import { FLOW_CB, type FlowName, isCancelText, isFlowName, restartKeyboard, sendFlowReminder } from "./common.ts";
import { familyFlow } from "./family.ts";
import { goingHomeFlow, isGoingHomeAnswers, planFooter, renderPlan } from "./going-home.ts";
import { checklistFooter, passportFlow, renderChecklist } from "./passport.ts";
import { parseLang } from "../keyboards/callbacks.ts";
import { commandNames } from "../commands.ts";

const noop = () => undefined;

/** The flow offered under each topic's answer. */
const TOPIC_FLOWS: Partial<Record<TopicId, FlowName>> = {
  passport: "passport",
  return_home: "going_home",
  family: "family",
};

const hasActiveFlow = (ctx: BotContext) => Object.keys(ctx.conversation.active()).length > 0;

/** Enter a flow; any flow already running is stopped first (one at a time), and the person is told. */
export async function startFlow(ctx: BotContext, flow: FlowName): Promise<void> {
  ctx.session.flowPaused = false;
  if (hasActiveFlow(ctx)) {
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t("flows:switched"));
  }
  await ctx.conversation.enter(flow);
}

async function cancelFlow(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery().catch(noop);
    await ctx.editMessageReplyMarkup().catch(noop);
  }
  ctx.session.flowPaused = false;
  if (hasActiveFlow(ctx)) {
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t("flows:cancelled"), { reply_markup: mainMenu(ctx.t) });
    return;
  }
  await ctx.reply(ctx.t("flows:nothing_to_cancel"), { reply_markup: mainMenu(ctx.t) });
}

/** /mychecklist: the saved SPLP checklist and going-home plan, in the current language. */
export async function showChecklists(ctx: BotContext): Promise<void> {
  const userId = ctx.chatId;
  const saved = userId === undefined ? [] : await ctx.deps.repos.checklists.list(userId);
  const tz = ctx.deps.config.STAFF_TIMEZONE;
  const hasChecklist = saved.some((s) => s.kind === "passport" && isChecklistAnswers(s.data));
  let shown = 0;
  for (const s of saved) {
    const when = ctx.t("flows:mychecklist.saved_at", { date: formatDate(ctx.lang, s.updatedAt, tz) });
    if (s.kind === "passport" && isChecklistAnswers(s.data)) {
      await ctx.reply(`${renderChecklist(ctx.t, s.data)}\n\n${when}`, {
        reply_markup: checklistFooter(ctx.t),
        link_preview_options: { is_disabled: true },
      });
      shown++;
    } else if (s.kind === "going_home" && isGoingHomeAnswers(s.data)) {
      await ctx.reply(`${renderPlan(ctx.t, ctx.lang, s.data, ctx.deps.facts, { hasChecklist })}\n\n${when}`, {
        reply_markup: planFooter(ctx.t, s.data, { hasChecklist }),
        link_preview_options: { is_disabled: true },
      });
      shown++;
    }
  }
  if (shown === 0) {
    const kb = new InlineKeyboard()
      .text(ctx.t("flows:start.passport"), FLOW_CB.start("passport"))
      .row()
      .text(ctx.t("flows:start.going_home"), FLOW_CB.start("going_home"));
    await ctx.reply(ctx.t("flows:mychecklist.none"), { reply_markup: answerFooter(ctx.t, kb) });
  }
}

export interface FlowsFeature {
  /** the flows: their conversations, commands and buttons (after the triage gate) */
  feature: Composer<BotContext>;
  /** before the language feature: /language id|en and the language buttons mid-flow ask the open question again */
  languageSwitch: Composer<BotContext>;
}

/** The button under a topic's answer that starts its guided flow (deps.topicExtras, passed in by createBot). */
export const flowStartButtons: TopicExtras = (ctx, topic) => {
  const flow = TOPIC_FLOWS[topic];
  return flow ? new InlineKeyboard().text(ctx.t(`flows:start.${flow}`), FLOW_CB.start(flow)) : undefined;
};

export function createFlowsFeature(deps: BotDeps): FlowsFeature {

  // The conversations. Registered once per update: by the flows below, or by the
  // language switch, which hands the update straight to the open flow.
  const runner = new Composer<BotContext>();
  runner.use(createConversation<BotContext, FlowContext>(passportFlow(deps), "passport"));
  runner.use(createConversation<BotContext, FlowContext>(goingHomeFlow(deps), "going_home"));
  runner.use(createConversation<BotContext, FlowContext>(familyFlow(deps), "family"));

  const flows = new Composer<BotContext>();
  const priv = flows.chatType("private");
  // The conversations first: a running flow sees the update before the handlers
  // below, and passes on (skip) what is not an answer: commands, cancel words,
  // menu buttons, locations, edits.
  priv.use(runner);

  priv.command(commandNames("passport"), (ctx) => startFlow(ctx, "passport"));
  priv.command(commandNames("going_home"), (ctx) => startFlow(ctx, "going_home"));
  priv.command(commandNames("family"), (ctx) => startFlow(ctx, "family"));
  priv.command(commandNames("mychecklist"), showChecklists);
  priv.command(commandNames("cancel"), cancelFlow);
  priv.callbackQuery(FLOW_CB.stop, cancelFlow);
  // Continue when no flow is open any more (it ended, expired or was stopped).
  priv.callbackQuery(FLOW_CB.resume, async (ctx) => {
    await ctx.answerCallbackQuery().catch(noop);
    await ctx.editMessageReplyMarkup().catch(noop);
    await ctx.reply(ctx.t("flows:nothing_to_cancel"), { reply_markup: mainMenu(ctx.t) });
  });
  priv.callbackQuery(/^fs:/, async (ctx) => {
    await ctx.answerCallbackQuery().catch(noop);
    const name = ctx.callbackQuery.data.slice(3);
    if (!isFlowName(name)) {
      await ctx.reply(ctx.t("unhandled:old_button_menu"), { reply_markup: mainMenu(ctx.t) });
      return;
    }
    await startFlow(ctx, name);
  });
  // A flow's button when no flow runs (it ended, expired, or was stopped).
  priv.callbackQuery(/^fl:/, async (ctx) => {
    await ctx.answerCallbackQuery().catch(noop);
    await ctx.editMessageReplyMarkup().catch(noop);
    const step = ctx.callbackQuery.data.split(":")[1] ?? "";
    const flow: FlowName = step.startsWith("gh.") ? "going_home" : step.startsWith("fm.") ? "family" : "passport";
    await ctx.reply(ctx.t("flows:ended"), { reply_markup: restartKeyboard(ctx.t, flow) });
  });
  // "batal" / "cancel" typed: leaves a running flow; otherwise it is ordinary text.
  priv.on("message:text", async (ctx, next) => {
    if (isCancelText(ctx.message.text) && hasActiveFlow(ctx)) return cancelFlow(ctx);
    return next();
  });
  // What the open flow passed on (a side question, a topic button, a photo, an edit)
  // is answered by the features after this one; then the person is told where they are.
  priv.use(async (ctx, next) => {
    await next();
    // Not after an urgent reply, nor under the question "are you in danger now?": those come first.
    if (ctx.triage?.urgent || ctx.session.awaitingDanger) return;
    await sendFlowReminder(ctx);
  });

  const languageSwitch = new Composer<BotContext>();
  const switchPriv = languageSwitch.chatType("private");
  const switchTo = async (ctx: BotContext, lang: Lang) => {
    ctx.setLang(lang, true);
    await ctx.reply(ctx.t("language:switched"));
    ctx.flowResume = true;
    await runner.middleware()(ctx, noopNext);
  };
  switchPriv.command(commandNames("language"), async (ctx, next) => {
    const arg = ctx.match.trim().toLowerCase();
    if (!hasActiveFlow(ctx) || !isLang(arg)) return next();
    await switchTo(ctx, arg);
  });
  switchPriv.callbackQuery(/^l:/, async (ctx, next) => {
    const lang = parseLang(ctx.callbackQuery.data);
    if (!hasActiveFlow(ctx) || !lang) return next();
    await switchTo(ctx, lang);
  });
  return { feature: flows, languageSwitch };
}

const noopNext = async () => undefined;
