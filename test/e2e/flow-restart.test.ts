/**
 * A guided flow survives a hard crash: the real process (polling mode against a
 * small fake Bot API, SQLite in a temp DATA_DIR) is driven halfway through the
 * passport flow, killed with SIGKILL, started again on the same DATA_DIR, and the
 * same conversation is finished; the checklist is stored and shown again.
 * (Also covers "kill the bot with SIGKILL mid-conversation, start it again, and
 * finish the conversation".)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadFacts } from "../../src/content/facts.ts";
import { createTranslator } from "../../src/i18n.ts";
import { openDatabase } from "../../src/storage/db.ts";
import { createRepositories } from "../../src/storage/repositories.ts";
import { MiniBotApi } from "../helpers/mini-bot-api.ts";
import { type BotProcess, spawnBot, TEST_TOKEN } from "../helpers/spawn-bot.ts";

const USER = { id: 640_001, language_code: "id" };
const t = createTranslator(loadFacts()).t("id");

let api: MiniBotApi | undefined;
const procs: BotProcess[] = [];
let dir = "";

afterEach(async () => {
  for (const p of procs.splice(0)) {
    p.kill();
    await p.exited;
  }
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
    LOG_LEVEL: "warn",
    DATABASE_URL: "",
    WEBHOOK_URL: "",
    // this stand-in has no per-chat limit, and the test presses faster than a person
    PRIVATE_CHAT_PER_MINUTE: "6000",
  });
  procs.push(p);
  return p;
}

/** the process polls: it is ready for updates */
async function polling(p: BotProcess): Promise<void> {
  const from = api?.calls.length ?? 0;
  await api?.waitFor((c) => c.method === "getUpdates", 30_000, from).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${p.output()}`);
  });
}

/** send, then wait for a sendMessage whose text includes `expected` */
async function expectReply(action: () => void, expected: string): Promise<string> {
  if (!api) throw new Error("no api");
  const from = api.calls.length;
  action();
  const call = await api.waitFor(
    (c) => c.method === "sendMessage" && c.payload.chat_id === USER.id && String(c.payload.text).includes(expected),
    15_000,
    from,
  );
  return String(call.payload.text);
}

describe("a guided flow survives SIGKILL", () => {
  it("passport flow: halfway, SIGKILL, restart on the same DATA_DIR, finish; the checklist is stored", async () => {
    api = new MiniBotApi(TEST_TOKEN);
    await api.start();
    dir = mkdtempSync(join(tmpdir(), "jp-flow-kill-"));

    const first = start();
    await polling(first);
    await expectReply(() => api?.sendText(USER, "/passport"), t("flows:passport.q_passport"));
    await expectReply(() => api?.press(USER, "fl:pp.passport:2"), t("flows:passport.q_ktp"));
    await expectReply(() => api?.press(USER, "fl:pp.ktp:1"), t("flows:passport.q_kk"));

    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");

    const second = start();
    await polling(second);
    // the same conversation continues: the next question, not a new start
    await expectReply(() => api?.press(USER, "fl:pp.kk:0"), t("flows:passport.q_birth"));
    await expectReply(() => api?.press(USER, "fl:pp.birth:2"), t("flows:passport.q_police"));
    await expectReply(() => api?.press(USER, "fl:pp.police:1"), t("flows:passport.q_photos"));
    const checklist = await expectReply(() => api?.press(USER, "fl:pp.photos:0"), t("flows:passport.title"));
    expect(checklist).toContain(t("flows:passport.how.passport_taken"));
    expect(checklist).toContain(`${t("flows:passport.doc.ktp")} ${t("flows:passport.form_photo")}`);
    expect(checklist).toContain(t("flows:passport.how.birth_from_family"));

    const again = await expectReply(() => api?.sendText(USER, "/mychecklist"), t("flows:passport.title"));
    expect(again).toContain(t("flows:passport.how.passport_taken"));
    // no question was asked twice across the restart
    expect(api.textsTo(USER.id).filter((x) => x === t("flows:passport.q_birth"))).toHaveLength(1);

    second.child.kill("SIGTERM");
    await second.exited;
    const database = await openDatabase({ kind: "sqlite", file: join(dir, "jalan-pulang.db") });
    try {
      const saved = await createRepositories(database).checklists.get(USER.id, "passport");
      expect(saved?.data).toEqual({ passport: "taken", ktp: "photo", kk: "original", birth: "none", police: false, photos: true });
    } finally {
      await database.close();
    }
  }, 60_000);
});
