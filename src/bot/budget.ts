/**
 * One send budget for everything the bot sends: replies, the desk outbox,
 * escalations. Telegram allows about 30 messages a second per bot, about one a
 * second per private chat (short bursts are tolerated) and 20 a minute per
 * group. The budget keeps each as a
 * sliding window (domain/cases/outbox.ts; edits count in a group's window,
 * not in a private chat's), blocks a chat after a 429 for
 * retry_after, and lets waiting sends go in priority order: a reply to a
 * person in danger first, then other replies to people, then staff-group
 * messages.
 *
 * It is used two ways with the same object: as a grammY API transformer
 * (installed on bot.api, inside conversations and on the desk's own Api),
 * which waits for a slot before the call; and by the desk outbox, which asks
 * nextAt() before it takes a row, so its call then finds its slot free.
 */
import type { Transformer } from "grammy";
import { defaultPacing, isGroupChat, Pacer, type PacingRules } from "../domain/cases/outbox.ts";
import type { SendLog, WindowLimit } from "../storage/repositories/send-log.ts";

/** Lower goes first. */
export const PRIORITY = { danger: 0, person: 1, staff: 2 } as const;

/** Methods that put a new message in a chat. */
const SENDS = new Set([
  "sendMessage",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
  "sendPhoto",
  "sendDocument",
  "sendVoice",
  "sendAudio",
  "sendVideo",
  "sendAnimation",
  "sendVideoNote",
  "sendSticker",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendMediaGroup",
  "sendPoll",
  "createForumTopic",
]);
/** Edits: they count in a chat's window as well. */
const EDITS = new Set(["editMessageText", "editMessageCaption", "editMessageReplyMarkup", "editMessageMedia", "editForumTopic"]);
/** Calls that are not messages: outside the budget. */
const FREE = new Set(["getUpdates", "getMe", "getChatMember", "setWebhook", "deleteWebhook", "setMyCommands", "getChat", "getFile"]);

/** Does `method` count in its chat's window? A new message always; an edit in a group (20 a minute, edits included). */
export function countsInChat(method: string, chatId: number | undefined): boolean {
  return SENDS.has(method) || (EDITS.has(method) && chatId !== undefined && isGroupChat(chatId));
}

interface Waiter {
  chatId: number | undefined;
  counted: boolean;
  priority: number;
  seq: number;
  resolve(): void;
  reject(err: unknown): void;
}

export interface SendBudgetOptions {
  rules?: PacingRules;
  now?: () => number;
}

export class SendBudget {
  readonly pacer: Pacer;
  private readonly now: () => number;
  private readonly waiting: Waiter[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  /** priority hints for a call's payload (set by a context's transformer, read by the budget's) */
  readonly hints = new WeakMap<object, number>();

  constructor(options: SendBudgetOptions = {}) {
    this.pacer = new Pacer(options.rules ?? defaultPacing());
    this.now = options.now ?? Date.now;
  }

  /** Earliest time a message (counted) or another call may go to `chatId`. */
  nextAt(chatId: number, now = this.now(), counted = true): number {
    return this.pacer.nextAt(chatId, now, counted);
  }

  /** Sends made elsewhere (another instance, before a restart) still count: the outbox's sent_at rows. */
  seed(chatId: number, times: readonly number[]): void {
    for (const t of [...times].sort((a, b) => a - b)) this.pacer.record(chatId, t, true);
  }

  /** Telegram answered 429: nothing more to this chat until `until`. */
  block(chatId: number, until: number): void {
    this.pacer.block(chatId, until);
  }

  /**
   * The budget as the desk outbox's pacing: it asks nextAt() before it takes a row;
   * the send itself is recorded by the transformer on the outbox's Api.
   */
  forOutbox(): { nextAt(chatId: number, now: number, counted?: boolean): number; record(): void; block(chatId: number, until: number): void } {
    return {
      nextAt: (chatId, now, counted = true) => this.nextAt(chatId, now, counted),
      record: () => undefined,
      block: (chatId, until) => this.block(chatId, until),
    };
  }

  /** Sends waiting for a slot right now. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Wait for a slot and take it. `chatId` undefined: only the bot-wide window.
   * Waiting sends go in priority order (then first come, first served); a
   * chat that must wait never holds up another chat.
   */
  acquire(chatId: number | undefined, counted: boolean, priority: number = PRIORITY.person, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    if (this.waiting.length === 0 && this.fits(chatId, counted, now)) {
      this.take(chatId, counted, now);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { chatId, counted, priority, seq: this.seq++, resolve, reject };
      this.waiting.push(w);
      this.waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      signal?.addEventListener(
        "abort",
        () => {
          const i = this.waiting.indexOf(w);
          if (i >= 0) {
            this.waiting.splice(i, 1);
            reject(new Error("send aborted while waiting for the send budget"));
          }
        },
        { once: true },
      );
      this.pump();
    });
  }

  private key(chatId: number | undefined): number {
    return chatId ?? 0;
  }

  private fits(chatId: number | undefined, counted: boolean, now: number): boolean {
    return this.pacer.nextAt(this.key(chatId), now, counted && chatId !== undefined) <= now;
  }

  private take(chatId: number | undefined, counted: boolean, now: number): void {
    this.pacer.record(this.key(chatId), now, counted && chatId !== undefined);
  }

  private pump(): void {
    const now = this.now();
    let next = Infinity;
    for (let i = 0; i < this.waiting.length; ) {
      const w = this.waiting[i] as Waiter;
      const at = this.pacer.nextAt(this.key(w.chatId), now, w.counted && w.chatId !== undefined);
      if (at <= now) {
        this.take(w.chatId, w.counted, now);
        this.waiting.splice(i, 1);
        w.resolve();
        continue;
      }
      next = Math.min(next, at);
      i++;
    }
    if (next === Infinity) return;
    if (this.timer && this.timerAt <= next) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(1, next - now));
  }
}

/**
 * The budget shared by several instances on one PostgreSQL: after this instance's
 * budget gave a send its slot, the send log (one row per send, under a lock per
 * key) must have room too — bot-wide, and in the chat's windows — or the send
 * waits until it has. So N instances together keep the same 25 a second, one a
 * second per private chat and 19 a minute per group as one.
 */
export interface SharedBudget {
  /** 0: taken; else when to try again */
  take(chatId: number | undefined, counted: boolean, clock: () => number): Promise<number>;
}

/**
 * A slot is written when it is taken; the call reaches Telegram a little later, by
 * how much depends on the instance (a commit, a busy event loop). The shared
 * windows are that much longer, so two sends a window apart in the log are never
 * less than a window apart at Telegram.
 */
const widen = (r: { limit: number; windowMs: number }) => ({ limit: r.limit, windowMs: r.windowMs + Math.max(100, Math.round(r.windowMs * 0.02)) });

export function sharedBudget(log: SendLog, rules: PacingRules, o: { pruneEveryMs?: number } = {}): SharedBudget {
  let pruneAt = 0;
  return {
    async take(chatId, counted, clock) {
      const now = clock();
      const limits: WindowLimit[] = [{ key: "bot", ...widen(rules.global) }];
      if (counted && chatId !== undefined) {
        const key = `chat:${chatId}`;
        if (isGroupChat(chatId)) {
          limits.push({ key, ...widen(rules.group) });
          if (rules.groupBurst) limits.push({ key, ...widen(rules.groupBurst) });
        } else limits.push({ key, ...widen(rules.private) });
      }
      if (now >= pruneAt) {
        pruneAt = now + (o.pruneEveryMs ?? 30_000);
        void log.prune(now - 2 * 60_000).catch(() => undefined);
      }
      return log.take(limits, clock);
    },
  };
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new Error("send aborted while waiting for the shared send budget"));
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error("send aborted while waiting for the shared send budget"));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

function chatOf(payload: Record<string, unknown>): number | undefined {
  const c = payload.chat_id;
  if (typeof c === "number") return c;
  if (typeof c === "string" && /^-?\d+$/.test(c)) return Number(c);
  return undefined; // @username, or an inline message: only the bot-wide window
}

/**
 * The budget as an API transformer: waits for a slot before each message or
 * edit, and blocks the chat when Telegram still answers 429. Install it inside
 * (before) auto-retry, so every retry waits for its slot too.
 */
export function budgetTransformer(budget: SendBudget, now: () => number = Date.now, shared?: SharedBudget): Transformer {
  return async (prev, method, payload, signal) => {
    if (FREE.has(method)) return prev(method, payload, signal);
    const p = (payload ?? {}) as Record<string, unknown>;
    const chatId = chatOf(p);
    const hinted = budget.hints.get(p);
    const priority = hinted ?? (chatId !== undefined && isGroupChat(chatId) ? PRIORITY.staff : PRIORITY.person);
    const counted = countsInChat(method, chatId);
    await budget.acquire(chatId, counted, priority, signal as AbortSignal | undefined);
    if (shared) {
      // Several instances: the shared send log must have room too.
      for (;;) {
        const retryAt = await shared.take(chatId, counted, now);
        if (retryAt === 0) break;
        await pause(Math.max(1, retryAt - now()), signal as AbortSignal | undefined);
      }
    }
    const res = await prev(method, payload, signal);
    if (!res.ok && res.error_code === 429 && chatId !== undefined) {
      budget.block(chatId, now() + (res.parameters?.retry_after ?? 5) * 1000);
    }
    return res;
  };
}

/** A context's transformer that marks its calls with a priority (read by budgetTransformer). */
export function priorityHint(budget: SendBudget, priority: () => number | undefined): Transformer {
  return (prev, method, payload, signal) => {
    const p = priority();
    if (p !== undefined && payload && typeof payload === "object") budget.hints.set(payload, p);
    return prev(method, payload, signal);
  };
}
