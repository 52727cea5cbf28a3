/**
 * The staff desk (src/bot/desk): staff handlers for the staff group (right after
 * the groups filter), the user-side relay while a case is open (right after the
 * triage gate), the urgent and /human hand-offs, and start() for the outbox
 * sender and the escalation timer.
 */
import type { Api, Composer } from "grammy";
import { createDesk, type Desk } from "../desk/desk.ts";
import type { BotContext, BotDeps } from "../context.ts";
import { setHumanRequest } from "./human.ts";
import { setUrgentHandoff } from "./urgent.ts";

export interface DeskFeature {
  staff: Composer<BotContext>;
  relay: Composer<BotContext>;
  /** start background work (outbox sender, escalation timer); returns a stop function */
  start(): () => Promise<void>;
  /** the desk itself (tests call desk.sender.drain() and desk.escalate()) */
  desk: Desk;
}

// The hooks are module-wide; each update finds its own bot's desk through ctx.deps.
const desks = new WeakMap<BotDeps, Desk>();
setUrgentHandoff(async (ctx, result, text) => desks.get(ctx.deps)?.urgentHandoff(ctx, result, text) ?? { reached: false });
setHumanRequest(async (ctx, extra) => (await desks.get(ctx.deps)?.humanRequest(ctx, extra)) ?? false);

export function createDeskFeature(deps: BotDeps, api: Api): DeskFeature {
  const desk = createDesk(deps, api);
  desks.set(deps, desk);
  return { staff: desk.staff, relay: desk.relay, start: () => desk.start(), desk };
}
