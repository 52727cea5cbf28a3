import type { BotError } from "grammy";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.ts";
import type { Lang } from "../../src/domain/lang.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

let tb: TestBot;
afterEach(async () => tb?.close());

const t = (key: string, lang: Lang = "id") => tb.deps.translator.t(lang)(key);
const errorLine = (lang: Lang = "id") => `${t("common:error", lang)}\n\n${t("common:hotlines_short", lang)}`;

/** Fail the first call of `method` with a Bot API error. */
function failOnce(method: string, error_code = 400, description = "Bad Request: something went wrong") {
  let done = false;
  tb.api.responder = (call) => {
    if (call.method !== method || done) return undefined;
    done = true;
    return { ok: false, error_code, description };
  };
}

describe("errors", () => {
  it("when sending fails inside a handler, the person still gets the error line with the hotlines", async () => {
    tb = await createTestBot();
    failOnce("sendMessage");
    await expect(tb.handle({ update_id: 777_001, message: msg("/start") })).resolves.toBeUndefined();
    const replies = tb.replies();
    expect(replies.at(-1)).toBe(errorLine());
    expect(replies.at(-1)).toContain(tb.deps.facts.view("id", "").kbri_hotline_protection);
    expect(await tb.deps.repos.updates.isProcessed(777_001)).toBe(true);
    expect(await metricValue("errors")).toBeGreaterThanOrEqual(1);
  });

  it("a handler that throws: error line in the user's language, update processed, next message works", async () => {
    tb = await createTestBot();
    await tb.send("/language en");
    const repos = tb.deps.repos;
    const touch = repos.users.touch;
    repos.users.touch = async () => {
      throw new Error("disk full");
    };
    try {
      tb.api.clear();
      await tb.handle({ update_id: 777_002, message: msg("paspor") });
      expect(tb.replies()).toEqual([errorLine("en")]);
      expect(await tb.deps.repos.updates.isProcessed(777_002)).toBe(true);
    } finally {
      repos.users.touch = touch;
    }
    tb.api.clear();
    await tb.send("/menu");
    expect(tb.replies()).toEqual([t("menu:title", "en")]);
  });

  it("a failure before the language is known (database unavailable) still answers with the hotlines", async () => {
    tb = await createTestBot();
    const updates = tb.deps.repos.updates;
    const isProcessed = updates.isProcessed;
    updates.isProcessed = async () => {
      throw new Error("database unavailable");
    };
    try {
      // outside the error boundary: as in production, the runner hands the error to bot.catch
      const bot = tb.bot;
      await tb.send("tolong", { language_code: "en" }).catch((err: BotError<BotContext>) => bot.errorHandler(err));
    } finally {
      updates.isProcessed = isProcessed;
    }
    expect(tb.replies()).toEqual([errorLine("en")]);
  });

  it("a person who blocked the bot (403) is logged at info ('user unreachable'), never as an error; the update counts as handled", async () => {
    const lines: { level: number; msg: string }[] = [];
    tb = await createTestBot({ logger: pino({ level: "info" }, { write: (l: string) => void lines.push(JSON.parse(l) as { level: number; msg: string }) }) });
    tb.api.responder = (call) =>
      call.method === "sendMessage" ? { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } : undefined;
    await tb.handle({ update_id: 777_004, message: msg("saya disekap dan dipukul, tolong") });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => l.level === 30 && l.msg === "user unreachable (blocked the bot)")).toHaveLength(1);
    expect(await tb.deps.repos.updates.isProcessed(777_004)).toBe(true);
  });

  it("a duplicate update (redelivery) is handled once", async () => {
    tb = await createTestBot();
    await tb.handle({ update_id: 777_003, message: msg("/start") });
    const n = tb.replies().length;
    await tb.handle({ update_id: 777_003, message: msg("/start") });
    expect(tb.replies().length).toBe(n);
  });

  it("pressing a button whose query is too old still answers the topic", async () => {
    tb = await createTestBot();
    failOnce("answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
    await tb.press("t:passport");
    expect(tb.replies()).toHaveLength(1);
    expect(tb.replies()[0]?.startsWith(t("topics:passport.title"))).toBe(true);
  });
});

let mid = 70_000;
function msg(text: string) {
  return {
    message_id: mid++,
    date: Math.floor(Date.now() / 1000),
    chat: { id: 424242, type: "private" as const, first_name: "Tester" },
    from: { id: 424242, is_bot: false, first_name: "Tester", language_code: "id" },
    text,
    ...(text.startsWith("/") ? { entities: [{ type: "bot_command" as const, offset: 0, length: text.split(" ")[0]?.length ?? 0 }] } : {}),
  };
}

async function metricValue(name: "errors"): Promise<number> {
  const m = await tb.deps.metrics[name].get();
  return m.values.reduce((s, v) => s + v.value, 0);
}
