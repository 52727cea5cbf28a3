import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createTerminalChat, runTerminal, TERMINAL_CHAT_ID, wrap } from "../src/terminal.ts";
import { createTestBot, type TestBot } from "./helpers/bot.ts";
import { spawnBot } from "./helpers/spawn-bot.ts";

function sink() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d: Buffer) => {
    text += d.toString();
  });
  return {
    stream,
    get text() {
      return text;
    },
    clear() {
      text = "";
    },
  };
}

let tb: TestBot | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await tb?.close();
  tb = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("terminal chat (in process)", () => {
  it("/start prints the welcome and the menu buttons as numbered choices; a number presses that button", async () => {
    tb = await createTestBot();
    const out = sink();
    const chat = createTerminalChat(tb.bot, tb.api, out.stream);
    await chat.input("/start");
    expect(out.text).toContain("🤖 Halo, ini Jalan Pulang");
    expect(out.text).toContain("BUKAN KBRI");
    expect(out.text).toContain("   [1] 🆘 Saya dalam bahaya sekarang");
    expect(out.text).toContain("   [2] 🏛 Kontak KBRI");
    expect(out.text).toContain("   [3] 🛂 Paspor hilang/ditahan (SPLP)");
    expect(chat.choices.length).toBe(12);

    out.clear();
    await chat.input("3");
    expect(out.text).toContain("🤖 🛂 Paspor hilang atau ditahan: SPLP");
    // the answer's buttons (topic extras, if any, then the menu and a person) are the new choices
    const n = chat.choices.length;
    expect(out.text).toContain(`   [${n - 2}] ⬅️ Menu`);
    expect(out.text).toContain(`   [${n - 1}] 🙋 Bicara dengan petugas`);
    expect(out.text).toContain(`   [${n}] 🆘 Saya dalam bahaya sekarang`);
    expect(tb.api.sent("answerCallbackQuery")).toHaveLength(1);
    // the bot saw the terminal's one chat
    expect(tb.api.sent("sendMessage").every((c) => c.payload.chat_id === TERMINAL_CHAT_ID)).toBe(true);
  });

  it("the embassy topic prints the map pin on its own lines", async () => {
    tb = await createTestBot();
    const out = sink();
    const chat = createTerminalChat(tb.bot, tb.api, out.stream);
    await chat.input("/start");
    out.clear();
    await chat.input("2");
    const pin = tb.deps.facts.location("kbri_map_pin");
    expect(out.text).toContain(`\n📍 ${tb.deps.translator.t("id")("topics:location_title")}\n`);
    expect(out.text).toContain(`(${pin?.latitude}, ${pin?.longitude})`);
  });

  it("commands and free text work; a number with no such button is read as text", async () => {
    tb = await createTestBot();
    const out = sink();
    const chat = createTerminalChat(tb.bot, tb.api, out.stream);
    await chat.input("/language en");
    expect(out.text).toContain("🤖 OK, we will answer in English.");
    out.clear();
    await chat.input("gmn cara plg");
    expect(out.text).toContain("Going home to Indonesia"); // the explicit choice is kept
    out.clear();
    await chat.input("42");
    expect(out.text).toContain("🤖 ");
    expect(chat.choices.length).toBeGreaterThan(0);
  });

  it("a message without buttons clears the choices, so a number never presses a button no longer shown", async () => {
    tb = await createTestBot();
    const out = sink();
    const chat = createTerminalChat(tb.bot, tb.api, out.stream);
    await chat.input("/forget");
    expect(chat.choices.map((c) => c.label)).toEqual(["Ya, hapus", "Tidak"]);
    out.clear();
    await chat.input("1");
    expect(out.text).toContain("Selesai. Semua data Anda");
    expect(out.text).not.toContain("[1]");
    expect(chat.choices).toHaveLength(0);
  });

  it("the urgent reply keyboard becomes choices; the location choice sends a location and removes them", async () => {
    tb = await createTestBot();
    const out = sink();
    const chat = createTerminalChat(tb.bot, tb.api, out.stream);
    await chat.input("tolong saya dikurung");
    expect(chat.choices[0]?.label).toContain("📍");
    out.clear();
    await chat.input("1");
    expect(out.text).toContain(tb.deps.translator.t("id")("unhandled:location")); // no staff group: passed on to nobody, and it says so
    expect(chat.choices).toHaveLength(0);
  });

  it("runTerminal: a first line saying it is offline, the welcome, then a prompt per line until the input ends", async () => {
    tb = await createTestBot();
    const input = new PassThrough();
    const out = sink();
    const done = runTerminal(tb.bot, tb.api, input, out.stream);
    input.end("/menu\n\n");
    await done;
    expect(out.text.split("\n")[0]).toMatch(/^Offline chat with the Jalan Pulang bot/);
    expect(out.text).toContain("BUKAN KBRI");
    expect(out.text.match(/\n> /g)?.length).toBe(3);
  });

  it("wrap() breaks at word boundaries and keeps bullet indents", () => {
    expect(wrap("• one two three four five", 12)).toBe("• one two\n  three four\n  five");
    expect(wrap("short", 40)).toBe("short");
    expect(wrap("x".repeat(25), 10).split("\n").map((l) => l.length)).toEqual([10, 10, 5]);
  });
});

/** The real entry point (the one process starter), fed `stdin`; always killed within the timeout. */
async function runMain(env: Record<string, string>, stdin: string, timeoutMs = 20_000) {
  const proc = spawnBot({ BOT_TOKEN: "", DATABASE_URL: "", WEBHOOK_URL: "", PORT: "", LOG_LEVEL: "info", ...env }, { stdin });
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  const exit = await proc.exited;
  clearTimeout(timer);
  return { code: typeof exit === "number" ? exit : null, stdout: proc.stdout(), stderr: proc.stderr() };
}

describe("terminal mode (the real process)", () => {
  it("with no token and JALAN_PULANG_TERMINAL=1: the offline chat over stdin/stdout, exit 0 at the end of input", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jp-term-"));
    dirs.push(dir);
    // piped all at once: every line must be answered, in order
    const r = await runMain({ JALAN_PULANG_TERMINAL: "1", DATA_DIR: dir }, "3\ngmn cara plg\n/language en\n/menu\n");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^Offline chat with the Jalan Pulang bot \(no BOT_TOKEN is set/);
    expect(r.stdout).toContain("BUKAN KBRI");
    expect(r.stdout).toContain("[3] 🛂 Paspor hilang/ditahan (SPLP)");
    const order = ["🛂 Paspor hilang atau ditahan: SPLP", "✈️ Pulang ke Indonesia", "OK, we will answer in English.", "🤖 How can we help?"];
    const at = order.map((s) => r.stdout.indexOf(s));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(r.stdout.match(/\n> /g)?.length).toBe(5);
    // no JSON logs in the chat
    expect(r.stdout).not.toContain('"level"');
    expect(r.stderr).toBe("");
  });

  it("a second run on the same data answers too (the earlier run's update ids are not taken for duplicates)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jp-term-"));
    dirs.push(dir);
    const first = await runMain({ JALAN_PULANG_TERMINAL: "1", DATA_DIR: dir }, "/menu\n");
    expect(first.stdout).toContain("🤖 Apa yang bisa kami bantu?");
    const second = await runMain({ JALAN_PULANG_TERMINAL: "1", DATA_DIR: dir }, "/menu\nnomor kbri\n");
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("🤖 Apa yang bisa kami bantu?");
    expect(second.stdout).toContain("KBRI Phnom Penh");
  });

  it("with no token, no TTY and no JALAN_PULANG_TERMINAL: exits non-zero and says what to set", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jp-term-"));
    dirs.push(dir);
    const r = await runMain({ DATA_DIR: dir }, "");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("BOT_TOKEN");
    expect(r.stderr).toContain("npm start");
    expect(r.stdout).toBe("");
  });

  it("an invalid setting stops start-up with a message naming it", async () => {
    const r = await runMain({ PORT: "x", JALAN_PULANG_TERMINAL: "1" }, "");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("PORT:");
  });
});
