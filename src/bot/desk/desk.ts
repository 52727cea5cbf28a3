/**
 * The staff desk, put together: cases from urgent messages and /human, one
 * forum topic per case in the staff group, relays both ways through the
 * outbox, staff buttons and commands (members of the staff group only),
 * escalation of unclaimed urgent cases, and the audit log. Each part has one
 * job and gets what it needs here; createBot (the composition root) passes
 * the hand-off to features through BotDeps.desk.
 */
import { type Api, Composer } from "grammy";
import { defaultPacing, Pacer } from "../../domain/cases/outbox.ts";
import type { BotContext, BotDeps } from "../context.ts";
import { createStaffAccess } from "./access.ts";
import type { DeskEnv } from "./env.ts";
import { createBoard } from "./board.ts";
import { createEscalation } from "./escalation.ts";
import type { DeskHandoff } from "./handoff.ts";
import { createUserRelay } from "./relay.ts";
import { createCardRenderer } from "./render.ts";
import { createRows } from "./rows.ts";
import { createOutboxSender, type OutboxSender } from "./sender.ts";
import { createCaseService } from "./service.ts";
import { createStaffGroup } from "./staff.ts";
import { createTransport } from "./transport.ts";

export { BLOCK_MS } from "./service.ts";

const CHECK_EVERY_MS = 30_000;

export interface Desk {
  readonly staffChatId: number;
  readonly sender: OutboxSender;
  /** staff-group handlers (right after the groups filter) */
  readonly staff: Composer<BotContext>;
  /** the user side while a case is open (right after the triage gate) */
  readonly relay: Composer<BotContext>;
  /** for features: open or continue a case */
  readonly handoff: DeskHandoff;
  /** announce urgent cases nobody claimed in time; returns how many */
  escalate(): Promise<number>;
  /** remind the topics of follow-ups that are due; returns how many */
  remindDue(): Promise<number>;
  /** the outbox sender and the timers; returns stop */
  start(): () => Promise<void>;
}

/** The desk, or undefined without STAFF_CHAT_ID (urgent cases then get the hotlines only). */
export function createDesk(deps: BotDeps, api: Api): Desk | undefined {
  const { config, logger } = deps;
  const staffChat = config.STAFF_CHAT_ID;
  if (staffChat === undefined) return undefined;
  const staffLang = config.STAFF_LANGUAGE;
  let kick = () => undefined as void;
  const env: DeskEnv = {
    deps,
    staffChat,
    staffLang,
    st: deps.translator.t(staffLang),
    timeZone: config.STAFF_TIMEZONE,
    now: () => deps.now(),
    kick: () => kick(),
  };
  const rows = createRows(env);
  const cards = createCardRenderer(env);
  const board = createBoard(env, rows);
  const transport = createTransport(env, rows, cards, board);
  // A forgotten person's case leaves the board (/forget and retention; the row names nobody).
  deps.repos.privacy.onForgotten(async (f) => {
    if (f.cases.length === 0) return;
    await deps.repos.outbox.enqueue([rows.board()]);
    env.kick();
  });
  const sender = createOutboxSender({
    outbox: deps.repos.outbox,
    api: { call: (method, params) => (api.raw as unknown as Record<string, (p: unknown) => Promise<unknown>>)[method]?.(params) ?? Promise.reject(new Error(`unknown method ${method}`)) },
    pacer: deps.budget?.forOutbox() ?? new Pacer(defaultPacing(config.DESK_GROUP_PER_MINUTE ?? 20)),
    now: deps.now,
    logger,
    prepare: transport.prepare,
    onFailed: transport.onFailed,
  });
  kick = () => sender.kick();
  const access = createStaffAccess(env);
  const cases = createCaseService(env, rows);
  const escalation = createEscalation(env, cases);
  const staff = createStaffGroup({ env, access, cases, rows, cards });
  const relay = createUserRelay(env, cases);
  // /forget and retention both forget through the registry: the staff group is cleared for both.
  deps.repos.privacy.onForget((forgotten) => cases.forget(forgotten));

  function start(): () => Promise<void> {
    let stopSender: () => Promise<void> = async () => undefined;
    let stopped = false;
    const begin = async () => {
      // SQLite has one owner process: rows it left 'sending' when it died go again now, not after the lease.
      // (A topic or card row is checked against the case first, so it is never created twice.)
      if (deps.database.dialect === "sqlite") {
        const n = await deps.repos.outbox.releaseLeases();
        if (n) logger.warn({ rows: n }, "desk outbox: resending rows a previous run left in flight");
      }
      if (!stopped) stopSender = sender.start();
    };
    const starting = begin().catch((err: unknown) => logger.error({ err }, "desk: start failed"));
    // Escalations and follow-up reminders: stored on the cases, so a restart loses none.
    const tick = () => {
      void escalation.escalate().catch((err: unknown) => logger.error({ err }, "desk: escalation failed"));
      void cases.remindDue().catch((err: unknown) => logger.error({ err }, "desk: follow-up reminders failed"));
      // The board is queued with every change to its list; this catches any it missed.
      void board.reconcile().catch((err: unknown) => logger.error({ err }, "desk: urgent board check failed"));
    };
    const timer = setInterval(tick, CHECK_EVERY_MS);
    timer.unref();
    tick();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await starting;
      await stopSender();
    };
  }

  return { staffChatId: staffChat, sender, staff, relay, handoff: cases, escalate: escalation.escalate, remindDue: cases.remindDue, start };
}

/** What createBot mounts: the desk's handlers (empty without a staff group) and start(). */
export interface DeskFeature {
  staff: Composer<BotContext>;
  relay: Composer<BotContext>;
  start(): () => Promise<void>;
  /** the desk itself, when configured (tests call desk.sender.drain() and desk.escalate()) */
  desk: Desk | undefined;
}

export function deskFeature(desk: Desk | undefined): DeskFeature {
  return {
    staff: desk?.staff ?? new Composer<BotContext>(),
    relay: desk?.relay ?? new Composer<BotContext>(),
    start: () => desk?.start() ?? (async () => undefined),
    desk,
  };
}
