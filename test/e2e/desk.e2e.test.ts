/**
 * End to end: the real process (node --import tsx src/main.ts, long polling)
 * against the fake Bot API on loopback, with a forum staff group.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { FakeBotApi } from "../helpers/fake-bot-api.ts";
import { type BotProcess, spawnBot, TEST_TOKEN, waitFor } from "../helpers/spawn-bot.ts";

const STAFF_CHAT = -1009000000001;
const STAFF = { id: 9001, first_name: "Sari" };
const OUTSIDER = { id: 9002, first_name: "Orang" };
const USER = { id: 5550001, first_name: "Budi" };

let proc: BotProcess | undefined;
let api: FakeBotApi | undefined;
let dir: string | undefined;
afterEach(async () => {
  await proc?.stop("SIGKILL");
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  proc = api = dir = undefined;
});

it("urgent message → immediate reply, topic + card for staff; staff reply reaches the user; outsiders get nothing; resolve tells the user", async () => {
  api = new FakeBotApi({ token: TEST_TOKEN, groupPerMinute: 20 });
  api.addGroup(STAFF_CHAT, { forum: true, members: [STAFF.id] });
  const root = await api.start();
  dir = mkdtempSync(join(tmpdir(), "jp-e2e-"));
  proc = spawnBot({ BOT_TOKEN: TEST_TOKEN, BOT_API_ROOT: root, STAFF_CHAT_ID: String(STAFF_CHAT), DATA_DIR: dir });
  const a = api;
  const userTexts = () => a.fromBot(USER.id).map((m) => String(m.text ?? ""));

  a.userText(USER, "tolong saya disekap dan dipukul");
  await waitFor(() => userTexts().some((t) => t.includes("+855 12 813 282")), 20_000, `urgent reply\n${proc.output()}`);
  await waitFor(() => a.fromBot(STAFF_CHAT).some((m) => String(m.text).includes("Kasus #1")), 10_000, "card");
  const [thread] = [...(a.topics.get(STAFF_CHAT)?.keys() ?? [])];
  expect(a.topics.get(STAFF_CHAT)?.size).toBe(1);
  const card = a.fromBot(STAFF_CHAT).find((m) => String(m.text).includes("Kasus #1"));
  expect(card?.message_thread_id).toBe(thread);
  expect(String(card?.text)).not.toContain("Budi");

  // An outsider pressing Claim changes nothing and learns nothing.
  a.press(STAFF_CHAT, OUTSIDER, card?.message_id as number, "dk:c:1");
  await waitFor(() => a.calls.some((c) => c.method === "answerCallbackQuery"), 10_000, "callback answer");
  expect(a.calls.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBeUndefined();

  a.groupText(STAFF_CHAT, STAFF, "Halo, saya Sari. Apakah Anda bisa bicara sekarang?", thread);
  await waitFor(() => userTexts().includes("Halo, saya Sari. Apakah Anda bisa bicara sekarang?"), 10_000, "staff reply copied");
  const copied = a.fromBot(USER.id).find((m) => m.text === "Halo, saya Sari. Apakah Anda bisa bicara sekarang?");
  expect(copied?.from).toMatchObject({ is_bot: true }); // a copy from the bot, no staff identity
  expect(userTexts().some((t) => t.includes("Seorang petugas help line sekarang ada"))).toBe(true);

  a.userText(USER, "ya, saya di lantai 3");
  await waitFor(() => a.fromBot(STAFF_CHAT).some((m) => m.text === "ya, saya di lantai 3" && m.message_thread_id === thread), 10_000, "user relay");

  // Resolve asks for the outcome; choosing one resolves the case.
  a.press(STAFF_CHAT, STAFF, card?.message_id as number, "dk:r:1");
  await waitFor(() => a.fromBot(STAFF_CHAT).some((m) => String(m.text).includes("Bagaimana kasus #1 berakhir")), 10_000, "outcome question");
  a.press(STAFF_CHAT, STAFF, card?.message_id as number, "dk:x:kbri:1");
  await waitFor(() => userTexts().some((t) => t.includes("Bot kembali menjawab otomatis")), 10_000, "closed notice");
  await waitFor(() => a.topics.get(STAFF_CHAT)?.get(thread as number)?.closed === true, 10_000, "topic closed");
  expect(a.rateLimited).toBe(0);
}, 60_000);
