/**
 * Who is staff: a member of the staff group (or its anonymous admin). Asked of
 * Telegram on every action that changes a case, so a removed member loses their
 * powers at once; reading (/cases, /case, /stats) may use an answer a few
 * seconds old.
 */
import type { BotContext } from "../context.ts";
import type { DeskEnv } from "./env.ts";
import { BoundedMap } from "../../domain/bounded-map.ts";

/** Telegram's GroupAnonymousBot: an anonymous admin of the staff group */
export const ANONYMOUS_ADMIN = 1087968824;
export const READ_CACHE_MS = 5_000;
const CACHE_MAX = 5_000;

export interface StaffAccess {
  /** for actions that change a case: always asks Telegram */
  mayAct(ctx: BotContext): Promise<boolean>;
  /** for reading: an answer up to READ_CACHE_MS old */
  mayRead(ctx: BotContext): Promise<boolean>;
}

export function createStaffAccess(env: DeskEnv): StaffAccess {
  const cache = new BoundedMap<number, { ok: boolean; until: number }>(CACHE_MAX);

  async function ask(ctx: BotContext): Promise<boolean | undefined> {
    if (!ctx.from) return false;
    if (ctx.from.id === ANONYMOUS_ADMIN && ctx.msg?.sender_chat?.id === env.staffChat) return true;
    try {
      const m = await ctx.api.getChatMember(env.staffChat, ctx.from.id);
      const ok = m.status === "creator" || m.status === "administrator" || m.status === "member" || (m.status === "restricted" && m.is_member);
      cache.set(ctx.from.id, { ok, until: env.now() + READ_CACHE_MS });
      return ok;
    } catch (err) {
      ctx.log.warn({ err }, "desk: membership check failed");
      return undefined; // not cached: ask again next time
    }
  }

  return {
    async mayAct(ctx) {
      return (await ask(ctx)) === true;
    },
    async mayRead(ctx) {
      const hit = ctx.from ? cache.get(ctx.from.id) : undefined;
      if (hit && hit.until > env.now()) return hit.ok;
      return (await ask(ctx)) === true;
    },
  };
}

export function staffName(ctx: BotContext): string {
  const f = ctx.from;
  if (!f) return "?";
  return [f.first_name, f.last_name].filter(Boolean).join(" ") + (f.username ? ` (@${f.username})` : "");
}
