/**
 * Key-value state: grammY sessions and @grammyjs/conversations state live here,
 * so nothing lives only in memory. Keys are namespaced ("session:", "conv:").
 */
import type { Kysely } from "kysely";
import type { DB } from "../schema.ts";
import { BoundedMap } from "../../domain/bounded-map.ts";

export interface KvRepository {
  get<T>(key: string): Promise<T | undefined>;
  /** the stored JSON text */
  getRaw(key: string): Promise<string | undefined>;
  set(key: string, owner: number | null, value: unknown, now?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** delete every row that belongs to a user/chat */
  deleteByOwner(owner: number): Promise<number>;
  /** delete rows of these owners (retention purge) */
  deleteByOwners(owners: readonly number[]): Promise<number>;
  count(): Promise<number>;
}

export interface KvRepositoryOptions {
  /**
   * This process is the only writer of the table (SQLite: one process owns the
   * file), so reads can be answered from memory: the last value read or written
   * per key, absent ones included, for at most `cacheSize` keys. Every write and
   * delete goes through this repository and keeps the cache true; a bulk delete
   * (forget, retention) empties it. Never for PostgreSQL, where other instances write.
   */
  cacheSize?: number;
}

export function createKvRepository(db: Kysely<DB>, options: KvRepositoryOptions = {}): KvRepository {
  const max = options.cacheSize ?? 0;
  /** key → stored JSON text, or null: known to be absent. Map order = least recently used first. */
  const cache = new BoundedMap<string, string | null>(Math.max(0, max));
  const cached = (key: string): string | null | undefined => cache.get(key);
  const remember = (key: string, json: string | null) => {
    cache.set(key, json);
  };
  async function readRaw(key: string): Promise<string | undefined> {
    const hit = cached(key);
    if (hit !== undefined) return hit ?? undefined;
    const row = await db.selectFrom("kv").select("value").where("key", "=", key).executeTakeFirst();
    remember(key, row?.value ?? null);
    return row?.value;
  }
  return {
    async get<T>(key: string) {
      const raw = await readRaw(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    getRaw: readRaw,
    async set(key, owner, value, now = Date.now()) {
      const json = JSON.stringify(value);
      cache.delete(key); // a failed write must not leave the old value looking current
      try {
        await db
          .insertInto("kv")
          .values({ key, owner, value: json, updated_at: now })
          .onConflict((oc) => oc.column("key").doUpdateSet({ value: json, owner, updated_at: now }))
          .execute();
      } catch (err) {
        cache.delete(key); // nor a read made meanwhile of what was then rolled back
        throw err;
      }
      remember(key, json);
    },
    async delete(key) {
      cache.delete(key);
      await db.deleteFrom("kv").where("key", "=", key).execute();
      remember(key, null);
    },
    async deleteByOwner(owner) {
      cache.clear();
      const r = await db.deleteFrom("kv").where("owner", "=", owner).executeTakeFirst();
      cache.clear();
      return Number(r.numDeletedRows);
    },
    async deleteByOwners(owners) {
      if (owners.length === 0) return 0;
      cache.clear();
      const r = await db.deleteFrom("kv").where("owner", "in", owners).executeTakeFirst();
      cache.clear();
      return Number(r.numDeletedRows);
    },
    async count() {
      const r = await db.selectFrom("kv").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}

/** A grammY / conversations storage adapter over the kv table, under one key prefix. */
export interface KeyStorage<T> {
  read(key: string): Promise<T | undefined>;
  write(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Owner is the leading chat id in the key ("12345" or "12345/..."), or null. */
export function ownerOfKey(key: string): number | null {
  const m = /^-?\d+/.exec(key);
  return m ? Number(m[0]) : null;
}

/** How many read values kvStorage remembers to skip unchanged write-backs. */
const READ_CACHE_MAX = 2_000;

/**
 * grammY writes the session back after every update that read it, changed or
 * not. Remember the JSON last read per key (bounded; updates of one chat run one
 * at a time, so a read and its write-back belong together) and skip a write
 * that would store exactly that again. A forgotten entry only costs a write.
 */
export function kvStorage<T>(kv: KvRepository, prefix: string): KeyStorage<T> {
  const lastRead = new BoundedMap<string, string>(READ_CACHE_MAX);
  const remember = (key: string, json: string | undefined) => {
    if (json === undefined) lastRead.delete(key);
    else lastRead.set(key, json);
  };
  return {
    async read(key) {
      const value = await kv.get<T>(`${prefix}:${key}`);
      remember(key, value === undefined ? undefined : JSON.stringify(value));
      return value;
    },
    async write(key, value) {
      const json = JSON.stringify(value);
      if (lastRead.get(key) === json) return;
      lastRead.delete(key);
      await kv.set(`${prefix}:${key}`, ownerOfKey(key), value);
      remember(key, json);
    },
    async delete(key) {
      lastRead.delete(key);
      await kv.delete(`${prefix}:${key}`);
    },
  };
}
