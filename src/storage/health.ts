/**
 * Whether the database can be written right now, as the bot last saw it: set by
 * the intake when storing or handling an update fails for a storage fault, and
 * cleared by the next write that works (an update stored or marked handled).
 * Built by the container and read by /readyz (503 while writes fail).
 */
import type { Logger } from "../logger.ts";

export interface StorageHealth {
  /** false while writes fail */
  readonly writable: boolean;
  /** when writes started to fail (epoch ms), while they do */
  readonly failingSince: number | undefined;
  /** a write failed (logged once at error level when writes start failing) */
  failed(err: unknown, now: number): void;
  /** a write worked */
  succeeded(): void;
}

export function createStorageHealth(logger?: Logger): StorageHealth {
  let since: number | undefined;
  return {
    get writable() {
      return since === undefined;
    },
    get failingSince() {
      return since;
    },
    failed(err, now) {
      if (since !== undefined) return;
      since = now;
      logger?.error({ err }, "storage cannot be written: updates are not confirmed or stay in the inbox, and are handled once it can; /readyz answers 503");
    },
    succeeded() {
      if (since === undefined) return;
      logger?.warn({ failing_ms: Date.now() - since }, "storage can be written again");
      since = undefined;
    },
  };
}

const SQLITE_FAULTS = /^SQLITE_(READONLY|BUSY|LOCKED|IOERR|FULL|CANTOPEN|CORRUPT|NOTADB|NOMEM|PERM|PROTOCOL)/;
const NET_FAULTS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const PG_CONNECTION_LOST =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end|Client was closed/i;

/**
 * Is this error the database failing (unreachable, read-only, locked, full, its
 * connection lost), as opposed to a mistake in a query or in the code? Looks
 * through wrappers (BotError.error, Error.cause).
 */
export function isStorageFailure(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (SQLITE_FAULTS.test(code) || NET_FAULTS.has(code)) return true;
      // PostgreSQL SQLSTATE: 08 connection exception, 53 insufficient resources,
      // 57P01-03 server shutting down or starting, 25006 read-only transaction.
      if (/^(08|53)[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code) || code === "25006") return true;
    }
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && PG_CONNECTION_LOST.test(message)) return true;
    e = (e as { error?: unknown; cause?: unknown }).error ?? (e as { cause?: unknown }).cause;
  }
  return false;
}
