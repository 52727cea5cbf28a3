/**
 * Durable intake: an update is stored (the inbox table) before Telegram is told
 * that it arrived, and handled from there. It is also the one retry layer for
 * updates: an update is either not confirmed yet (Telegram still has it) or in
 * the inbox until it is handled; nothing is kept only in memory.
 *
 * - Polling: pollingSource() fetches a batch with getUpdates, stores it in one
 *   transaction, and only then returns it; the next getUpdates (whose offset
 *   confirms the batch) is made after that. A batch that cannot be stored is not
 *   confirmed: the people who wrote get the hotlines at once (once per update),
 *   and the same offset is fetched again after a short pause (at most 5 s), so
 *   Telegram hands the batch over again, with anything new (whose senders get
 *   the hotlines too), until it can be stored.
 * - Webhook: webhookTarget() is what grammY's webhookCallback hands the update
 *   to: it stores it and returns, so the 200 goes out once the update is stored;
 *   the handling follows from the inbox. Not stored: no 200 (Telegram delivers
 *   it again), and the hotlines.
 * - dispatch() hands a stored update to the bot (one at a time per chat, in
 *   order: the bot's sequentialize and chat lock) and removes it from the inbox
 *   once its handling completed. An update whose handling failed (say the
 *   database cannot be written) stays in the inbox; the person gets the hotlines
 *   the first time; the sweeper tries it again after a growing pause (pending.ts),
 *   at once when the database takes writes again; a later update of the same
 *   chat waits behind it. /readyz answers 503 meanwhile (storage health).
 * - recover() at start-up handles what an earlier run left, before new updates.
 * - The update-id de-duplication (processed_updates, under the chat's lock)
 *   makes a second handling of the same update a no-op.
 */
import { BotError, GrammyError, type Bot } from "grammy";
import type { Update } from "grammy/types";
import type { UpdateSupplier } from "@grammyjs/runner";
import { langFromCode } from "../domain/lang.ts";
import type { Translator } from "../i18n.ts";
import type { Logger } from "../logger.ts";
import { isStorageFailure, type StorageHealth } from "../storage/health.ts";
import type { InboxRepository } from "../storage/repositories/inbox.ts";
import type { BotContext } from "./context.ts";
import { HeldBehind } from "./middlewares/update-guard.ts";
import { createPendingUpdates, type PendingUpdates } from "./pending.ts";
import type { TelegramHealth } from "./telegram-health.ts";
import { BoundedMap } from "../domain/bounded-map.ts";

/** Points where a test may pause the process (JALAN_PULANG_TEST_PAUSE), to kill it there. */
export type PausePoint = "after-fetch" | "after-store" | "mid-handler";

export interface IntakeOptions {
  bot: Bot<BotContext>;
  inbox: InboxRepository;
  logger: Logger;
  translator: Translator;
  /** the bot's bookkeeping of updates waiting for another try (createBot's `pending`), shared with the update guard */
  pending?: PendingUpdates;
  /** told of every store that fails or works (/readyz) */
  storageHealth?: StorageHealth;
  now?: () => number;
  /** test fault injection: never resolves at the named point */
  pause?: (point: PausePoint) => Promise<void>;
  /** a row nobody here is handling, older than this, is taken up (an instance died after storing it) */
  orphanAfterMs?: number;
  /** how often the inbox is looked at again */
  sweepMs?: number;
  /**
   * Several instances take updates (webhook): before handling an update, wait (at
   * most this long) until earlier updates of its chat, stored by any instance, are
   * handled, so a chat's updates keep their order. 0: off (polling has one consumer,
   * and the bot's sequentialize keeps the order).
   */
  orderAcrossInstancesMs?: number;
}

export interface Intake {
  /** store updates in one transaction; resolves with those that were not stored yet */
  store(updates: readonly Update[]): Promise<Update[]>;
  /** handle a stored update; it leaves the inbox once handled (never throws) */
  dispatch(update: Update): Promise<void>;
  /** handle what an earlier run left in the inbox, oldest first; resolves with how many were started */
  recover(): Promise<number>;
  /** the person whose update could not be stored still gets the hotlines (once per update) */
  fallback(update: Update): Promise<void>;
  /** the long-polling source for @grammyjs/runner */
  pollingSource(fetchOptions: { allowed_updates: readonly string[]; timeout?: number }, health?: TelegramHealth): UpdateSupplier<Update>;
  /** what webhookCallback calls: resolves once the update is stored (then the 200 goes out) */
  webhookTarget(): Bot<BotContext>;
  /** look at the inbox once: updates whose pause after a failure is over, and orphans (what the sweeper runs) */
  sweep(): Promise<void>;
  /** retries and orphans, every few seconds; returns stop */
  startSweeper(): () => void;
  /** updates being handled now */
  active(): number;
  /** resolves when nothing is being handled, or after timeoutMs (then false) */
  drain(timeoutMs: number): Promise<boolean>;
}

/** An update that is not one (no update_id): the webhook answers 400. */
export class NotAnUpdate extends Error {
  override name = "NotAnUpdate";
}

/** Whose updates must keep their order: the chat's, else the user's (as the bot's lock key). */
export function chatKeyOf(u: Update): string | null {
  const chat = u.message?.chat ?? u.edited_message?.chat ?? u.callback_query?.message?.chat ?? u.my_chat_member?.chat ?? u.channel_post?.chat;
  if (chat) return `chat:${chat.id}`;
  const from = u.callback_query?.from ?? u.inline_query?.from ?? u.my_chat_member?.from;
  return from ? `user:${from.id}` : null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new Error("aborted"));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(new Error("aborted"));
      },
      { once: true },
    );
  });

/** 1 s, 2 s, 4 s … at most `max` */
const backoff = (attempt: number, max = 30_000) => Math.min(max, 1000 * 2 ** Math.max(0, attempt));
/** a batch that could not be stored is fetched again after 0.5 s, 1 s, 2 s … 5 s */
const refetchPause = (attempt: number) => Math.min(5_000, 500 * 2 ** Math.max(0, attempt));

export function createIntake(o: IntakeOptions): Intake {
  const now = o.now ?? Date.now;
  const pause = o.pause ?? (async () => undefined);
  const orphanAfterMs = o.orphanAfterMs ?? 30_000;
  const sweepMs = o.sweepMs ?? 2_000;
  const running = new Map<number, Promise<void>>();
  const pending = o.pending ?? createPendingUpdates();
  const health = o.storageHealth;
  /** updates whose sender already got the hotlines because of a failure */
  const answered = new BoundedMap<number, true>(10_000);
  const remember = (id: number) => {
    answered.set(id, true);
  };
  /** set by startSweeper: look at the inbox now (storage is back) */
  let sweepSoon = () => undefined as void;

  async function fallback(update: Update): Promise<void> {
    if (answered.has(update.update_id)) return;
    remember(update.update_id);
    await sendHotlines(update);
  }

  async function sendHotlines(update: Update): Promise<void> {
    const msg = update.message ?? update.edited_message;
    const chat = msg?.chat ?? update.callback_query?.message?.chat;
    if (!chat || chat.type !== "private") return;
    const from = msg?.from ?? update.callback_query?.from;
    const t = o.translator.t(langFromCode(from?.language_code));
    await o.bot.api
      .sendMessage(chat.id, `${t("common:error")}\n\n${t("common:hotlines_short")}`)
      .catch((err: unknown) => o.logger.warn({ err }, "intake: could not send the hotlines"));
  }

  async function inOrder(update: Update): Promise<void> {
    const key = chatKeyOf(update);
    const max = o.orderAcrossInstancesMs ?? 0;
    if (!key || max <= 0) return;
    const until = Date.now() + max;
    let gap = 10;
    while (Date.now() < until && (await o.inbox.earlierPending(key, update.update_id))) {
      await sleep(gap);
      gap = Math.min(200, gap * 2);
    }
  }

  async function handle(update: Update): Promise<void> {
    const id = update.update_id;
    const wasPending = pending.isPending(id);
    try {
      // Behind an update of its chat that waits for another try here: no waiting for it (the
      // guard holds this one back at once, and the person gets the hotlines now).
      if (!pending.heldBehind(chatKeyOf(update) ?? `update:${id}`, id)) await inOrder(update);
      await o.bot.handleUpdate(update);
    } catch (err) {
      const e = err instanceof BotError ? err.error : err;
      pending.failed(id, chatKeyOf(update) ?? `update:${id}`, now());
      if (e instanceof HeldBehind) {
        o.logger.warn({ update_id: id }, "update waits behind an earlier one of its chat (storage failing); it stays in the inbox");
      } else if (isStorageFailure(e)) {
        health?.failed(e, now());
        o.logger.warn({ err: e, update_id: id, again: wasPending }, "update not handled (storage failing); it stays in the inbox and is tried again");
      } else {
        o.logger.error({ err, update_id: id }, "update not handled; it stays in the inbox and is tried again");
      }
      // The first time, the person gets the calm line with the hotlines.
      if (!answered.has(id)) {
        remember(id);
        if (err instanceof BotError && !(e instanceof HeldBehind) && !isStorageFailure(e)) {
          await Promise.resolve(o.bot.errorHandler(err)).catch(() => undefined);
        } else {
          await sendHotlines(update);
        }
      }
      return;
    }
    pending.done(id);
    // It had failed before: the database takes writes again; what waits behind it can go now.
    if (wasPending) sweepSoon();
    try {
      await o.inbox.done(id);
    } catch (err) {
      // Handled and marked processed: a second handling is a no-op; the sweeper removes it later.
      o.logger.warn({ err, update_id: id }, "intake: could not remove a handled update from the inbox");
    }
  }

  /** ordered mode: one update at a time per chat in this process (only the head waits for other instances) */
  const chains = new Map<string, Promise<void>>();

  function dispatch(update: Update): Promise<void> {
    const id = update.update_id;
    const current = running.get(id);
    if (current) return current;
    const key = (o.orderAcrossInstancesMs ?? 0) > 0 ? chatKeyOf(update) : null;
    let p: Promise<void>;
    if (key) {
      const tail = (chains.get(key) ?? Promise.resolve()).then(() => handle(update));
      chains.set(key, tail);
      p = tail.finally(() => {
        running.delete(id);
        if (chains.get(key) === tail) chains.delete(key);
      });
    } else {
      p = handle(update).finally(() => running.delete(id));
    }
    running.set(id, p);
    return p;
  }

  async function store(updates: readonly Update[]): Promise<Update[]> {
    let stored: number[];
    try {
      stored = await o.inbox.store(updates, now(), chatKeyOf);
    } catch (err) {
      if (isStorageFailure(err)) health?.failed(err, now());
      throw err;
    }
    if (health && !health.writable) {
      health.succeeded();
      sweepSoon();
    }
    const fresh = new Set(stored);
    return updates.filter((u) => fresh.has(u.update_id));
  }

  async function recover(): Promise<number> {
    let started = 0;
    let after = -Infinity;
    for (;;) {
      const rows = (await o.inbox.pending(500)).filter((r) => r.update.update_id > after && !running.has(r.update.update_id));
      if (rows.length === 0) break;
      // Started in id order: the bot's sequentialize keeps them in order per chat.
      for (const r of rows) {
        void dispatch(r.update);
        after = Math.max(after, r.update.update_id);
        started++;
      }
      if (rows.length < 500) break;
    }
    if (started) o.logger.warn({ updates: started }, "intake: handling updates an earlier run left in the inbox");
    return started;
  }

  async function sweep(): Promise<void> {
    const at = now();
    const rows = await o.inbox.pending(500);
    for (const r of rows) {
      const id = r.update.update_id;
      if (running.has(id)) continue;
      // Failed before: when its pause is over. Never tried here: an orphan (an instance died after storing it).
      if (pending.isPending(id) ? !pending.due(id, at) : r.receivedAt > at - orphanAfterMs) continue;
      void dispatch(r.update);
    }
  }

  function pollingSource(
    fetchOptions: { allowed_updates: readonly string[]; timeout?: number },
    health?: TelegramHealth,
  ): UpdateSupplier<Update> {
    let offset = 0;
    let refetches = 0;
    return {
      async supply(batchSize, runnerSignal) {
        const signal = runnerSignal as unknown as AbortSignal;
        for (let attempt = 0; ; attempt++) {
          let updates: Update[];
          try {
            updates = await o.bot.api.getUpdates(
              { offset, limit: Math.max(1, Math.min(100, batchSize)), timeout: fetchOptions.timeout ?? 30, allowed_updates: [...fetchOptions.allowed_updates] as never },
              signal as never,
            );
            health?.reached();
          } catch (err) {
            if (signal.aborted) throw err;
            if (err instanceof GrammyError && err.error_code === 401) throw err; // a wrong token: nothing will help
            health?.failed(err);
            await sleep(backoff(attempt, 60_000), signal);
            continue;
          }
          if (updates.length === 0) return [];
          await pause("after-fetch");
          let fresh: Update[];
          try {
            fresh = await store(updates);
            refetches = 0;
          } catch (err) {
            // Not stored: not confirmed either (the offset stays, Telegram hands the batch over
            // again). The people who wrote get the hotlines now, each once.
            // A storage fault is logged once at error level by storage health; each try again at warn.
            const level = isStorageFailure(err) ? "warn" : "error";
            o.logger[level]({ err, updates: updates.length }, "intake: could not store updates; they are not confirmed and will be handled once the database is back");
            for (const u of updates) await fallback(u);
            await sleep(refetchPause(refetches++), signal);
            continue;
          }
          offset = (updates[updates.length - 1] as Update).update_id + 1;
          await pause("after-store");
          return fresh;
        }
      },
    };
  }

  function webhookTarget(): Bot<BotContext> {
    // The shape of Bot that webhookCallback uses: it checks the secret, reads the body,
    // calls handleUpdate and answers 200 when that resolves (or an error when it throws).
    const target = {
      isRunning: () => false,
      init: async () => undefined,
      async handleUpdate(update: Update) {
        if (typeof update?.update_id !== "number") throw new NotAnUpdate("no update_id");
        try {
          await store([update]);
        } catch (err) {
          await fallback(update);
          throw err; // no 200: Telegram delivers it again
        }
        await pause("after-store");
        // Stored: handled from the inbox, after the 200 (also when stored before: de-duplicated).
        void dispatch(update);
      },
    };
    return target as unknown as Bot<BotContext>;
  }

  return {
    store,
    dispatch,
    recover,
    fallback,
    pollingSource,
    webhookTarget,
    sweep,
    startSweeper() {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      let sweeping = false;
      const tick = async () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (sweeping || stopped) return;
        sweeping = true;
        await sweep().catch((err: unknown) => o.logger.warn({ err }, "intake: could not read the inbox"));
        sweeping = false;
        if (!stopped) timer = setTimeout(() => void tick(), sweepMs);
      };
      timer = setTimeout(() => void tick(), sweepMs);
      sweepSoon = () => {
        if (!stopped && !sweeping) setImmediate(() => void tick());
      };
      return () => {
        stopped = true;
        sweepSoon = () => undefined;
        if (timer) clearTimeout(timer);
      };
    },
    active: () => running.size,
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (running.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...running.values()]),
          new Promise((r) => {
            timer = setTimeout(r, left);
          }),
        ]);
        clearTimeout(timer);
      }
      return true;
    },
  };
}
