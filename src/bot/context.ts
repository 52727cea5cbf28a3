/**
 * The context type is the contract: every extension the middleware adds is
 * declared here, once.
 */
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context, InlineKeyboard, SessionFlavor } from "grammy";
import type { Config } from "../config.ts";
import type { SendBudget } from "./budget.ts";
import type { Facts } from "../content/facts.ts";
import type { MessageAnalysis } from "../domain/analysis.ts";
import type { TopicId } from "../domain/knowledge/topics.ts";
import type { Lang } from "../domain/lang.ts";
import type { TriageResult } from "../domain/triage/triage.ts";
import type { Database } from "../storage/db.ts";
import type { DeskHandoff } from "./desk/handoff.ts";
import type { StorageHealth } from "../storage/health.ts";
import type { Repositories } from "../storage/repositories.ts";
import type { TFunction, Translator } from "../i18n.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";

/** What the bot remembers per chat (in the database; deleted by /forget and retention). */
export interface SessionData {
  /** chosen or detected language */
  lang?: Lang;
  /** the user chose the language explicitly (/language): do not auto-switch */
  langChosen?: boolean;
  /** the welcome + privacy notice was shown */
  welcomed?: boolean;
  /** the bot asked "are you in danger now?" and waits for the answer */
  awaitingDanger?: boolean;
  /** the user's last few texts, for triage context (trimmed, at most 3) */
  recent?: string[];
  /** where the person is in a guided flow (meaningful only while one is active) */
  flowAt?: { flow: string; n: number; of: number };
  /** an urgent message came during a guided flow: the flow asks nothing until the person returns to it */
  flowPaused?: boolean;
}

/** Extra buttons a topic's answer can carry (the guided flows offer theirs). */
export type TopicExtras = (ctx: BotContext, topic: TopicId) => InlineKeyboard | undefined;

export interface BotDeps {
  config: Config;
  logger: Logger;
  facts: Facts;
  translator: Translator;
  database: Database;
  repos: Repositories;
  metrics: Metrics;
  /** whether the database takes writes (the intake and the update guard set it; /readyz reads it) */
  storageHealth: StorageHealth;
  /** milliseconds since the epoch; tests move time */
  now: () => number;
  /** the staff desk's hand-off (set by createBot; absent without a staff group) */
  desk?: DeskHandoff;
  /** extra buttons under a topic's answer: a guided flow's start (set by createBot) */
  topicExtras?: TopicExtras;
  /** the send budget shared by replies and the desk outbox (main.ts; tests run without) */
  budget?: SendBudget;
}

interface Extensions {
  /** translate in the user's current language, facts interpolated */
  t: TFunction;
  /** the user's current language */
  lang: Lang;
  /** switch language (remembered in the session) */
  setLang(lang: Lang, chosen?: boolean): void;
  deps: BotDeps;
  log: Logger;
  /** the one reading of this update's text: language, triage, topic (private texts and edits, not commands) */
  analysis?: MessageAnalysis;
  /** triage of this update's text (set by the triage gate, private text messages only) */
  triage?: TriageResult;
  /** this update asks the open flow to ask its question again (the language was switched mid-flow) */
  flowResume?: boolean;
}

export type BotContext = ConversationFlavor<Context & SessionFlavor<SessionData> & Extensions>;
/** The context inside conversations (no session or conversation flavour; t and lang re-installed by plugins). */
export type FlowContext = Context & Extensions;
