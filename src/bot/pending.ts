/**
 * Stored updates waiting for another try: what the intake (the one retry layer
 * for updates) remembers about the inbox rows whose handling failed because the
 * database could not be written. The update itself stays in the inbox, never
 * only here; this is the bookkeeping around it:
 * - when to try it again (1 s, 2 s, 4 s … 10 s after each failure, and all at
 *   once as soon as one of them was handled: the database is back);
 * - which chat it belongs to, so a later update of that chat waits behind it
 *   (the update guard asks heldBehind) and the chat's order is kept;
 * - updates that were handled but whose "processed" mark could not be written,
 *   so a second try writes the mark without handling (answering) them again.
 * Lost at a restart, which is harmless: the inbox rows are handled at start-up.
 */
import { BoundedMap } from "../domain/bounded-map.ts";
export interface PendingUpdates {
  /** handling failed: try again after a growing pause; later updates of `key` wait behind it */
  failed(updateId: number, key: string, now: number): void;
  /** an earlier update of this chat waits for another try */
  heldBehind(key: string, updateId: number): boolean;
  /** is this update waiting for another try? */
  isPending(updateId: number): boolean;
  /** may the intake try it now? (true for an update that never failed) */
  due(updateId: number, now: number): boolean;
  /** handled (the inbox row goes): forget it. If it had failed, the database is back: every waiting update is due now */
  done(updateId: number): void;
  /** it was handled, only its "processed" mark could not be written */
  handledUnmarked(updateId: number): void;
  wasHandled(updateId: number): boolean;
  /** how many updates wait */
  size(): number;
}

const FIRST_MS = 1_000;
const MAX_MS = 10_000;

export function createPendingUpdates(): PendingUpdates {
  const waiting = new Map<number, { key: string; attempts: number; nextAt: number }>();
  const handled = new BoundedMap<number, true>(10_000);
  return {
    failed(id, key, now) {
      const w = waiting.get(id) ?? { key, attempts: 0, nextAt: 0 };
      w.attempts++;
      w.nextAt = now + Math.min(MAX_MS, FIRST_MS * 2 ** (w.attempts - 1));
      waiting.set(id, w);
    },
    heldBehind(key, id) {
      for (const [other, w] of waiting) if (other < id && w.key === key) return true;
      return false;
    },
    isPending: (id) => waiting.has(id),
    due: (id, now) => (waiting.get(id)?.nextAt ?? 0) <= now,
    done(id) {
      const w = waiting.get(id);
      waiting.delete(id);
      handled.delete(id);
      if (w) for (const other of waiting.values()) other.nextAt = 0;
    },
    handledUnmarked(id) {
      handled.set(id, true);
    },
    wasHandled: (id) => handled.has(id),
    size: () => waiting.size,
  };
}
