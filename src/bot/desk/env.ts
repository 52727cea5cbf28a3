/**
 * What every part of the desk shares: the bot's dependencies, the staff group,
 * the staff language, the clock, and a way to tell the outbox sender that rows
 * were queued. Built once by createDesk and passed into each part.
 */
import type { Lang } from "../../domain/lang.ts";
import type { TFunction } from "../../i18n.ts";
import type { BotDeps } from "../context.ts";

export interface DeskEnv {
  deps: BotDeps;
  staffChat: number;
  /** staff texts, in STAFF_LANGUAGE */
  st: TFunction;
  staffLang: Lang;
  timeZone: string;
  now(): number;
  /** rows were queued: the sender looks now */
  kick(): void;
}

/** The actor of automatic actions in the audit log. */
export const SYSTEM = { actorId: 0, actorName: "system" } as const;

/**
 * Outbox priorities, set when a row is queued (the sender sends the lowest first):
 * the "urgent now" board first, then escalations and re-notifications, then urgent
 * cases, then the rest.
 */
export const PRIORITY = { board: -2, escalation: -1, urgent: 0, normal: 1 } as const;
