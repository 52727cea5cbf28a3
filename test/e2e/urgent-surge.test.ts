/**
 * A surge on the real process (npm start's composition: durable intake, one send
 * budget, the production transformers, the desk outbox) against the stand-in Bot
 * API with Telegram's limits: 60 cases (15 urgent) within 6 s. Every urgent case
 * is shown to staff by the "urgent now" board long before its topic and card can
 * go (2 group messages a case, 20 a minute), no limit is broken, and the board
 * names nobody. How fast is measured in `npm run bench` (desk-surge), not here.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { groupCounted, startSurge, SURGE_STAFF, type SurgeRun } from "../helpers/surge.ts";

let run: SurgeRun | undefined;
let dir: string | undefined;
afterEach(async () => {
  await run?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  run = dir = undefined;
});

it("60 cases (15 urgent) in 6 s: every urgent case is on the 'urgent now' board before most cards, with no 429; the board names nobody; claiming from it takes the case off", async () => {
  dir = mkdtempSync(join(tmpdir(), "jp-surge-e2e-"));
  run = await startSurge({ dir });
  const r = run;
  expect(r.urgentAt.size).toBe(15);
  const urgentCases = () => {
    const db = new Database(join(dir as string, "jalan-pulang.db"), { readonly: true });
    try {
      return (db.prepare("select id from desk_cases where priority = 'urgent'").all() as { id: number }[]).map((x) => Number(x.id));
    } finally {
      db.close();
    }
  };
  await expect.poll(() => urgentCases().length, { timeout: 30_000, interval: 200 }).toBe(15);
  const urgent = urgentCases();
  await expect.poll(() => urgent.filter((id) => r.visible().has(id)).length, { timeout: 60_000, interval: 200 }).toBe(15);

  // No limit broken, and the group got far fewer messages than the 30 that 15 topics and cards take.
  expect(r.api.rateLimited).toBe(0);
  const groupMessages = r.api.calls.filter(groupCounted).length;
  expect(groupMessages).toBeLessThanOrEqual(20);
  const cardsOut = r.api.calls.filter((c) => c.ok && c.method === "sendMessage" && /Kasus #\d+/.test(String(c.payload.text))).length;
  expect(cardsOut).toBeLessThan(15);

  // The board: in General (no topic), numbers and signals only, never a name or the person's words.
  const boards = r.api.calls.filter((c) => c.ok && c.payload.chat_id === SURGE_STAFF && /^🚨 MENDESAK SEKARANG/u.test(String(c.payload.text ?? "")));
  expect(boards.length).toBeGreaterThan(0);
  for (const b of boards) {
    expect(b.payload.message_thread_id).toBeUndefined();
    expect(String(b.payload.text)).not.toMatch(/Person\d|dipukul|locked me|diancam/);
  }
  // One board in the group at a time: the ones it replaced were deleted.
  const onScreen = r.api.fromBot(SURGE_STAFF).filter((m) => /^🚨 MENDESAK SEKARANG/u.test(String(m.text ?? "")));
  await expect.poll(() => r.api.fromBot(SURGE_STAFF).filter((m) => /^🚨 MENDESAK SEKARANG/u.test(String(m.text ?? ""))).length, { timeout: 20_000 }).toBe(1);
  expect(onScreen.length).toBeGreaterThanOrEqual(1);

  // Claiming from the board: the case leaves it.
  const board = r.api.fromBot(SURGE_STAFF).find((m) => /^🚨 MENDESAK SEKARANG/u.test(String(m.text ?? "")));
  const first = urgent[0] as number;
  r.api.press(SURGE_STAFF, { id: 9001, first_name: "Sari" }, board?.message_id as number, `dk:c:${first}`);
  await expect
    .poll(() => String(r.api.fromBot(SURGE_STAFF).find((m) => /^🚨 MENDESAK SEKARANG/u.test(String(m.text ?? "")))?.text ?? ""), { timeout: 30_000, interval: 200 })
    .not.toMatch(new RegExp(`^#${first} · `, "m"));
  expect(r.api.rateLimited).toBe(0);
}, 180_000);
