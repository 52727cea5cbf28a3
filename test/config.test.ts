import { describe, expect, it } from "vitest";
import { ConfigError, createConfig } from "../src/config.ts";

const TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ_0123";
const SECRET = "s3cret_s3cret_s3cret";

function errorOf(env: Record<string, string>): string {
  try {
    createConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("has safe defaults with an empty environment", () => {
    const c = createConfig({});
    expect(c.mode).toBe("terminal");
    expect(c.LOG_LEVEL).toBe("info");
    expect(c.DATA_DIR).toBe("./data");
    expect(c.database).toEqual({ kind: "sqlite", file: "./data/jalan-pulang.db" });
    expect(c.RETENTION_DAYS).toBe(90);
    expect(c.HOST).toBe("0.0.0.0");
    expect(c.PORT).toBeUndefined();
    expect(c.STAFF_TIMEZONE).toBe("Asia/Phnom_Penh");
    expect(c.staffHours).toBeUndefined();
    expect(c.staffOncall).toEqual([]);
    expect("webhookPath" in c).toBe(false);
    expect(c.OPERATOR_NAME).toBe("Jalan Pulang volunteers");
  });

  it("treats empty strings (as a .env template leaves them) as unset", () => {
    const c = createConfig({ BOT_TOKEN: "", PORT: " ", DATABASE_URL: "", LOG_LEVEL: "" });
    expect(c.mode).toBe("terminal");
    expect(c.PORT).toBeUndefined();
    expect(c.database.kind).toBe("sqlite");
    expect(c.LOG_LEVEL).toBe("info");
  });

  it.each([
    [{ BOT_TOKEN: "abc" }, "BOT_TOKEN", "123456:ABC-DEF"],
    [{ PORT: "x" }, "PORT", "number"],
    [{ PORT: "70000" }, "PORT", "65535"],
    [{ BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://bot.example.org/telegram" }, "WEBHOOK_SECRET", "required when WEBHOOK_URL is set"],
    [{ WEBHOOK_URL: "https://bot.example.org/telegram", WEBHOOK_SECRET: SECRET }, "BOT_TOKEN", "required when WEBHOOK_URL is set"],
    [{ STAFF_HOURS: "25:00-01:00" }, "STAFF_HOURS", "08:00-20:00"],
    [{ STAFF_TIMEZONE: "Mars/Olympus" }, "STAFF_TIMEZONE", "IANA time zone"],
    [{ DATABASE_URL: "mysql://x@y/z" }, "DATABASE_URL", "PostgreSQL URL"],
    [{ STAFF_CHAT_ID: "staff" }, "STAFF_CHAT_ID", "numeric Telegram chat id"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL", ""],
    [{ RETENTION_DAYS: "0" }, "RETENTION_DAYS", ""],
    [{ WEBHOOK_SECRET: "short" }, "WEBHOOK_SECRET", "16-256"],
  ])("an invalid value stops start-up naming the variable: %j", (env, variable, what) => {
    const message = errorOf(env);
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toContain(`${variable}:`);
    if (what) expect(message).toContain(what);
  });

  it("lists every invalid variable at once, one per line", () => {
    const message = errorOf({ BOT_TOKEN: "abc", PORT: "x", STAFF_HOURS: "8-20" });
    const lines = message.split("\n").slice(1);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.trim().split(":")[0]).sort()).toEqual(["BOT_TOKEN", "PORT", "STAFF_HOURS"]);
  });

  it("never echoes a rejected token back (it may be a real but mistyped secret)", () => {
    const message = errorOf({ BOT_TOKEN: "123456:short-secret" });
    expect(message).not.toContain("short-secret");
  });

  describe("mode", () => {
    it("terminal without a token", () => {
      expect(createConfig({}).mode).toBe("terminal");
    });
    it("polling with a token", () => {
      expect(createConfig({ BOT_TOKEN: TOKEN }).mode).toBe("polling");
    });
    it("webhook with a token, a URL and a secret; the path comes from the URL", () => {
      const c = createConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://bot.example.org/hook/abc", WEBHOOK_SECRET: SECRET });
      expect(c.mode).toBe("webhook");
      if (c.mode !== "webhook") throw new Error("not webhook");
      // narrowed: the webhook's settings are all there, typed as present
      expect(c.webhookPath).toBe("/hook/abc");
      expect(c.WEBHOOK_SECRET).toBe(SECRET);
      expect(c.BOT_TOKEN).toBe(TOKEN);
      expect(c.PORT).toBe(8080);
    });
  });

  describe("database", () => {
    it("SQLite in a file under DATA_DIR (trailing slashes ignored)", () => {
      expect(createConfig({ DATA_DIR: "/var/lib/jp/" }).database).toEqual({
        kind: "sqlite",
        file: "/var/lib/jp/jalan-pulang.db",
      });
    });
    it("PostgreSQL when DATABASE_URL is set", () => {
      const url = "postgres://postgres@127.0.0.1:5432/test";
      expect(createConfig({ DATABASE_URL: url, DATA_DIR: "/x" }).database).toEqual({ kind: "postgres", url });
      expect(createConfig({ DATABASE_URL: "postgresql://u@h/db" }).database.kind).toBe("postgres");
    });
  });

  it("parses staff hours and the on-call list", () => {
    const c = createConfig({ STAFF_HOURS: "08:30-20:00", STAFF_ONCALL: "alice, @bob  carol" });
    expect(c.staffHours).toEqual({ start: 8 * 60 + 30, end: 20 * 60 });
    expect(c.staffOncall).toEqual(["@alice", "@bob", "@carol"]);
  });
});
