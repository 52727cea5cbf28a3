/**
 * A guided flow survives a hard crash: the real process (polling mode against
 * the one stand-in Bot API, SQLite in a temp DATA_DIR) is driven halfway through
 * the passport flow, killed with SIGKILL, started again on the same DATA_DIR, and
 * the same conversation is finished; the checklist is stored and shown again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadFacts } from "../../src/content/facts.ts";
import { createTranslator } from "../../src/i18n.ts";
import { openDatabase } from "../../src/storage/db.ts";
import { createRepositories } from "../../src/storage/repositories.ts";
import { FakeBotApi } from "../helpers/fake-bot-api.ts";
import { type BotProcess, spawnBot, TEST_TOKEN } from "../helpers/spawn-bot.ts";

const USER = { id: 640_001, language_code: "id" };
const t = createTranslator(loadFacts()).t("id");

let api: FakeBotApi | undefined;
const procs: BotProcess[] = [];
let dir = "";

afterEach(async () => {
  for (const p of procs.splice(0)) await p.stop("SIGKILL");
  await api?.close();
  api = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = "";
});

function start(): BotProcess {
  if (!api) throw new Error("no api");
  const p = spawnBot({
    BOT_TOKEN: TEST_TOKEN,
    BOT_API_ROOT: api.url,
    DATA_DIR: dir,
    DATABASE_URL: "",
    WEBHOOK_URL: "",
    // the test presses faster than a person
    PRIVATE_CHAT_PER_MINUTE: "6000",
  });
  procs.push(p);
  return p;
}

/** the process polls: it is ready for updates */
async function polling(p: BotProcess): Promise<void> {
  const before = api?.polls ?? 0;
  const deadline = Date.now() + 30_000;
  while ((api?.polls ?? 0) <= before) {
    if (Date.now() > deadline) throw new Error(`not polling\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** send, then wait for a sendMessage whose text includes `expected` */
async function expectReply(action: (a: FakeBotApi) => void, expected: string): Promise<string> {
  if (!api) throw new Error("no api");
  const from = api.calls.length;
  action(api);
  const call = await api.waitFor((c) => c.method === "sendMessage" && c.ok && c.payload.chat_id === USER.id && String(c.payload.text).includes(expected), 15_000, from);
  return String(call.payload.text);
}

/** The passport checklist the flow saved in the bot's SQLite file, read after the process stopped. */
async function expectSavedChecklist(dir: string): Promise<void> {
  const database = await openDatabase({ kind: "sqlite", file: join(dir, "jalan-pulang.db") });
  try {
    const saved = await createRepositories(database).checklists.get(USER.id, "passport");
    expect(saved?.data).toEqual({ passport: "taken", ktp: "photo", kk: "original", birth: "none", police: false, photos: true });
  } finally {
    await database.close();
  }
}

describe("a guided flow survives SIGKILL", () => {
  it("passport flow: halfway, SIGKILL, restart on the same DATA_DIR, finish; the checklist is stored", async () => {
    api = new FakeBotApi({ token: TEST_TOKEN });
    await api.start();
    dir = mkdtempSync(join(tmpdir(), "jp-flow-kill-"));

    const first = start();
    await polling(first);
    await expectReply((a) => a.userText(USER, "/passport"), t("flows:passport.q_passport"));
    await expectReply((a) => a.userPress(USER, "fl:pp.passport:2"), t("flows:passport.q_ktp"));
    await expectReply((a) => a.userPress(USER, "fl:pp.ktp:1"), t("flows:passport.q_kk"));

    await first.stop("SIGKILL");

    const second = start();
    await polling(second);
    // the same conversation continues: the next question, not a new start
    await expectReply((a) => a.userPress(USER, "fl:pp.kk:0"), t("flows:passport.q_birth"));
    await expectReply((a) => a.userPress(USER, "fl:pp.birth:2"), t("flows:passport.q_police"));
    await expectReply((a) => a.userPress(USER, "fl:pp.police:1"), t("flows:passport.q_photos"));
    const checklist = await expectReply((a) => a.userPress(USER, "fl:pp.photos:0"), t("flows:passport.title"));
    expect(checklist).toContain(t("flows:passport.how.passport_taken"));
    expect(checklist).toContain(`${t("flows:passport.doc.ktp")} ${t("flows:passport.form_photo")}`);
    expect(checklist).toContain(t("flows:passport.how.birth_from_family"));

    const again = await expectReply((a) => a.userText(USER, "/mychecklist"), t("flows:passport.title"));
    expect(again).toContain(t("flows:passport.how.passport_taken"));
    // no question was asked twice across the restart
    expect(api.textsTo(USER.id).filter((x) => x === t("flows:passport.q_birth"))).toHaveLength(1);

    await second.stop("SIGTERM");
    await expectSavedChecklist(dir);
  }, 60_000);

  type Point = "just-sent" | "answer-on-the-wire" | "edit-on-the-wire" | "reply-on-the-wire" | "after-confirm";
  const POINTS: Point[] = ["just-sent", "answer-on-the-wire", "edit-on-the-wire", "reply-on-the-wire", "after-confirm"];

  it.each(POINTS)("a press is never lost: SIGKILL %s, restart, the flow goes on from that answer", async (point) => {
    const a = new FakeBotApi({ token: TEST_TOKEN });
    api = a;
    await a.start();
    dir = mkdtempSync(join(tmpdir(), "jp-flow-kill-"));

    const first = start();
    await polling(first);
    await expectReply((x) => x.userText(USER, "/passport"), t("flows:passport.q_passport"));
    await expectReply((x) => x.userPress(USER, "fl:pp.passport:2"), t("flows:passport.q_ktp"));

    const killed = new Promise<void>((resolve) => {
      const kill = () => void first.stop("SIGKILL").then(resolve);
      const onWire = (method: string) => (m: string, p: Record<string, unknown>) => {
        if (m !== method || p.chat_id !== undefined && p.chat_id !== USER.id) return undefined;
        a.onArrive = undefined;
        kill();
        return "lost" as const;
      };
      if (point === "answer-on-the-wire") a.onArrive = onWire("answerCallbackQuery");
      if (point === "edit-on-the-wire") a.onArrive = onWire("editMessageReplyMarkup");
      if (point === "reply-on-the-wire") a.onArrive = onWire("sendMessage");
      if (point === "after-confirm") {
        a.onGetUpdates = (offset) => {
          if (offset <= pressId) return;
          a.onGetUpdates = undefined;
          kill();
        };
      }
      if (point === "just-sent") queueMicrotask(kill);
    });
    const pressId = a.nextId;
    a.userPress(USER, "fl:pp.ktp:1");
    await killed;
    a.onArrive = undefined;
    a.onGetUpdates = undefined;

    const second = start();
    // the press is answered by the restarted process: the question after it …
    await a.waitFor((c) => c.method === "sendMessage" && c.ok && c.payload.chat_id === USER.id && c.payload.text === t("flows:passport.q_kk"), 30_000).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${first.output()}\n${second.output()}`);
    });
    // … and the flow goes on from there
    await expectReply((x) => x.userPress(USER, "fl:pp.kk:0"), t("flows:passport.q_birth"));
    await expectReply((x) => x.userPress(USER, "fl:pp.birth:2"), t("flows:passport.q_police"));
    await expectReply((x) => x.userPress(USER, "fl:pp.police:1"), t("flows:passport.q_photos"));
    await expectReply((x) => x.userPress(USER, "fl:pp.photos:0"), t("flows:passport.title"));
    await second.stop("SIGTERM");
    await expectSavedChecklist(dir);
  }, 90_000);
});
