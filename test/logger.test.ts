import { Writable } from "node:stream";
import { GrammyError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, scrubSecrets } from "../src/logger.ts";
import { createTestBot, type TestBot, USER_ID } from "./helpers/bot.ts";

const TOKEN = "7012345678:AAH4kS9xQ2mZpL0vRt7YbN3cW8eF1gJ5uXo";
const SECRETS = {
  text: "tolong saya dikurung di Golden Fortune, nomor saya +62 812 3456 7890",
  first_name: "Siti Rahmawati",
  last_name: "Binti Ahmad",
  username: "siti_r_1999",
  phone: "+6281234567890",
};

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { stream, lines, all: () => lines.join("") };
}

function expectNoSecrets(out: string) {
  for (const s of [...Object.values(SECRETS), TOKEN, TOKEN.split(":")[1] as string]) expect(out).not.toContain(s);
}

const update = {
  update_id: 99,
  message: {
    message_id: 5,
    date: 1,
    chat: { id: USER_ID, type: "private", first_name: SECRETS.first_name, username: SECRETS.username },
    from: { id: USER_ID, is_bot: false, first_name: SECRETS.first_name, last_name: SECRETS.last_name, username: SECRETS.username },
    text: SECRETS.text,
    contact: { phone_number: SECRETS.phone, first_name: SECRETS.first_name },
    reply_to_message: { from: { username: SECRETS.username }, text: SECRETS.text },
  },
};

describe("logger", () => {
  it("writes JSON lines with a level label", () => {
    const c = capture();
    createLogger("info", c.stream).info({ update_id: 1 }, "hello");
    const rec = JSON.parse(c.lines[0] ?? "{}") as Record<string, unknown>;
    expect(rec).toMatchObject({ level: "info", msg: "hello", update_id: 1, app: "jalan-pulang" });
  });

  it("redacts an update, a message and nested user data at any logged depth", () => {
    const c = capture();
    const log = createLogger("debug", c.stream);
    log.info({ update }, "update");
    log.info({ message: update.message }, "message");
    log.info(update, "bare update");
    log.info({ ctx: { update } }, "nested");
    log.info({ user: update.message.from, contact: update.message.contact }, "user");
    const out = c.all();
    expect(c.lines).toHaveLength(5);
    expectNoSecrets(out);
    expect(out).toContain("[redacted]");
    // what is safe to keep stays: ids for correlating
    expect(JSON.parse(c.lines[2] ?? "{}")).toMatchObject({ update_id: 99 });
  });

  it("scrubs the token from error messages, stacks and message strings", () => {
    const c = capture();
    const log = createLogger("info", c.stream);
    const err = new Error(`request to https://api.telegram.org/bot${TOKEN}/getUpdates failed`);
    log.error({ err }, "network");
    log.error(`failed at https://api.telegram.org/bot${TOKEN}/sendMessage`);
    log.error({ err: new Error("x"), BOT_TOKEN: TOKEN, config: { BOT_TOKEN: TOKEN, DATABASE_URL: "postgres://u:pw@h/db" } }, "config");
    const out = c.all();
    expectNoSecrets(out);
    expect(out).not.toContain("u:pw");
    expect(out).toContain("[token]");
    expect(out).toContain("[redacted]");
    expect(scrubSecrets(`a ${TOKEN} b`)).toBe("a [token] b");
  });

  it("a Bot API error carrying the outgoing payload does not leak the text", () => {
    const c = capture();
    const err = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 400, description: "Bad Request: chat not found" },
      "sendMessage",
      { chat_id: USER_ID, text: SECRETS.text, reply_markup: { inline_keyboard: [[{ text: SECRETS.first_name, callback_data: "x" }]] } },
    );
    createLogger("info", c.stream).error({ err }, "send failed");
    const out = c.all();
    expectNoSecrets(out);
    expect(out).toContain("Bad Request: chat not found");
  });

  describe("through the bot", () => {
    let tb: TestBot | undefined;
    afterEach(async () => {
      await tb?.close();
      tb = undefined;
    });

    it("an error while handling a private message is logged without the person's text, name or username", async () => {
      const c = capture();
      tb = await createTestBot({ logger: createLogger("debug", c.stream), env: { BOT_TOKEN: TOKEN } });
      let failed = false;
      tb.api.responder = (call) => {
        if (call.method === "sendMessage" && !failed) {
          failed = true;
          return { ok: false, error_code: 400, description: "Bad Request: message is too long" };
        }
        return undefined;
      };
      await tb.send("/start", { first_name: SECRETS.first_name });
      await tb.send(SECRETS.text, { first_name: SECRETS.first_name });
      const out = c.all();
      const records = c.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const error = records.find((r) => r.msg === "error while handling update");
      expect(error).toBeDefined();
      expect(error?.level).toBe("error");
      expect(JSON.stringify(error)).toContain("message is too long");
      if (process.env.SHOW_LOGS) console.log(out);
      expectNoSecrets(out);
      // the person still got the calm error line
      expect(tb.replies().some((r) => r.startsWith("Maaf, ada gangguan"))).toBe(true);
    });
  });
});
