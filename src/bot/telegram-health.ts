/**
 * Can Telegram be reached? Every Bot API call tells (an API transformer): an
 * answer, even an error, means yes; a network error or a call that hangs longer
 * than `slowMs` means no. Not reached: a warning in the log at once, then again
 * with back-off (5 s, 10 s, 20 s … every 5 min), and "reached again" once it is.
 * /readyz answers 503 while it is not reached. In webhook mode, where no call may
 * happen for a while, probe() asks getMe when nothing was heard for a while.
 */
import { HttpError, type Api, type Transformer } from "grammy";
import type { Logger } from "../logger.ts";

export interface TelegramHealth {
  /** Telegram answered the last call (false until the first answer) */
  readonly ok: boolean;
  reached(): void;
  failed(err: unknown): void;
  /** the API transformer that reports every call */
  transformer(): Transformer;
  /** ask getMe every `everyMs` when nothing else was heard; returns stop */
  probe(api: Api, everyMs?: number): () => void;
}

export function createTelegramHealth(logger: Logger, options: { slowMs?: number; now?: () => number } = {}): TelegramHealth {
  const now = options.now ?? Date.now;
  const slowMs = options.slowMs ?? 4_000;
  let ok = false;
  let everReached = false;
  let lastHeard = 0;
  let downSince: number | undefined;
  let nextWarnAt = 0;
  let warnGap = 5_000;

  const reached = () => {
    lastHeard = now();
    if (!ok && downSince !== undefined) logger.info({ down_s: Math.round((now() - downSince) / 1000) }, "Telegram reached again");
    ok = true;
    everReached = true;
    downSince = undefined;
    warnGap = 5_000;
    nextWarnAt = 0;
  };
  const failed = (err: unknown) => {
    ok = false;
    const t = now();
    downSince ??= t;
    if (t < nextWarnAt) return;
    const reason = err instanceof HttpError ? String(err.error instanceof Error ? err.error.message : err.error) : err instanceof Error ? err.message : String(err);
    logger.warn(
      { reason, down_s: Math.round((t - downSince) / 1000), next_warning_s: warnGap / 1000 },
      everReached ? "Telegram cannot be reached" : "Telegram cannot be reached yet (check BOT_API_ROOT and the network)",
    );
    nextWarnAt = t + warnGap;
    warnGap = Math.min(300_000, warnGap * 2);
  };

  return {
    get ok() {
      return ok;
    },
    reached,
    failed,
    transformer() {
      return async (prev, method, payload, signal) => {
        // A long poll legitimately waits its timeout; anything else answers within seconds.
        const waitS = method === "getUpdates" ? Number((payload as { timeout?: number } | undefined)?.timeout ?? 0) : 0;
        const timer = setTimeout(() => failed(new Error(`${method}: no answer within ${Math.round((slowMs + waitS * 1000) / 1000)} s`)), slowMs + waitS * 1000);
        timer.unref();
        try {
          const res = await prev(method, payload, signal);
          reached();
          return res;
        } catch (err) {
          if (err instanceof HttpError && !(signal as AbortSignal | undefined)?.aborted) failed(err);
          throw err;
        } finally {
          clearTimeout(timer);
        }
      };
    },
    probe(api, everyMs = 15_000) {
      const timer = setInterval(() => {
        if (ok && now() - lastHeard < everyMs) return;
        void api.getMe().catch(() => undefined); // the transformer reports it
      }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
