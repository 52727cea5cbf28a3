/**
 * Configuration: one zod schema over the environment (a .env file is read by main.ts).
 * Pure: createConfig(env) never touches process.env itself.
 */
import { z } from "zod";
import { DEFAULT_LANG, LANGS, type Lang } from "./domain/lang.ts";

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const int = (def: number, min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(def));
const chatId = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^-?\d+$/, "must be a numeric Telegram chat id such as -1001234567890")
    .transform(Number)
    .optional(),
);

const hoursRe = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

const botToken = z.preprocess(
  emptyToUndefined,
  z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "must look like 123456:ABC-DEF... (from @BotFather)"),
);
const webhookSecret = z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 characters of A-Z, a-z, 0-9, _ and -");
const port = z.coerce.number().int().min(0).max(65535);

/** Settings every mode shares. */
const common = z.object({
  BOT_API_ROOT: z.preprocess(emptyToUndefined, z.url("must be a URL such as http://127.0.0.1:8081").optional()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  OPERATOR_NAME: z.preprocess(emptyToUndefined, z.string().max(200).default("Jalan Pulang volunteers")),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("./data")),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/db")
      .optional(),
  ),
  FACTS_FILE: optionalString,
  WEBHOOK_SECRET: z.preprocess(emptyToUndefined, webhookSecret.optional()),
  PORT: z.preprocess(emptyToUndefined, port.optional()),
  HOST: z.preprocess(emptyToUndefined, z.string().default("0.0.0.0")),
  RETENTION_DAYS: int(90, 1, 3650),
  STAFF_CHAT_ID: chatId,
  ESCALATION_CHAT_ID: chatId,
  STAFF_ONCALL: z.preprocess(emptyToUndefined, z.string().default("")),
  URGENT_CLAIM_MINUTES: int(5, 1, 1440),
  /** messages a minute the desk outbox may send to one group (Telegram allows about 20) */
  DESK_GROUP_PER_MINUTE: int(20, 1, 600),
  /** messages a minute the bot sends to one private chat (Telegram: about one a second, short bursts allowed) */
  PRIVATE_CHAT_PER_MINUTE: int(60, 1, 60_000),
  STAFF_HOURS: z.preprocess(
    emptyToUndefined,
    z.string().regex(hoursRe, "must look like 08:00-20:00").optional(),
  ),
  STAFF_TIMEZONE: z.preprocess(emptyToUndefined, z.string().default("Asia/Phnom_Penh")),
  FLOW_IDLE_HOURS: int(24, 1, 720),
  /** the language of everything staff read in the staff group */
  STAFF_LANGUAGE: z.preprocess(emptyToUndefined, z.enum(LANGS as [Lang, ...Lang[]]).default(DEFAULT_LANG)),
});

/**
 * The three modes, told apart by `mode` (derived from the environment before
 * parsing): each names what it needs, so the types narrow on `config.mode`.
 */
export const envSchema = z
  .preprocess(
    (raw) => {
      const env = (raw ?? {}) as Record<string, unknown>;
      const set = (k: string) => emptyToUndefined(env[k]) !== undefined;
      const mode = set("WEBHOOK_URL") ? "webhook" : set("BOT_TOKEN") ? "polling" : "terminal";
      return { ...env, mode };
    },
    z.discriminatedUnion("mode", [
      common.extend({ mode: z.literal("terminal"), BOT_TOKEN: z.preprocess(emptyToUndefined, z.undefined()) }),
      common.extend({ mode: z.literal("polling"), BOT_TOKEN: botToken }),
      common.extend({
        mode: z.literal("webhook"),
        BOT_TOKEN: z.preprocess(emptyToUndefined, botToken.optional()),
        WEBHOOK_URL: z.url("must be the public https URL Telegram calls"),
        WEBHOOK_SECRET: z.preprocess(emptyToUndefined, webhookSecret.optional()),
        PORT: z.preprocess(emptyToUndefined, port.default(8080)),
      }),
    ]),
  )
  .superRefine((env, ctx) => {
    if (env.mode === "webhook" && !env.BOT_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["BOT_TOKEN"], message: "is required when WEBHOOK_URL is set" });
    }
    if (env.mode === "webhook" && !env.WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["WEBHOOK_SECRET"], message: "is required when WEBHOOK_URL is set" });
    }
    try {
      new Intl.DateTimeFormat("en", { timeZone: env.STAFF_TIMEZONE });
    } catch {
      ctx.addIssue({ code: "custom", path: ["STAFF_TIMEZONE"], message: "must be an IANA time zone such as Asia/Phnom_Penh" });
    }
  });

export type Env = z.infer<typeof envSchema>;
type Common = z.infer<typeof common>;

interface Derived {
  database: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  staffOncall: string[];
  staffHours: { start: number; end: number } | undefined;
}

/** Offline chat in the terminal: nothing goes to Telegram. */
export type TerminalConfig = Common & Derived & { mode: "terminal"; BOT_TOKEN?: undefined };
/** Long polling (the HTTP server only when PORT is set). */
export type PollingConfig = Common & Derived & { mode: "polling"; BOT_TOKEN: string };
/** Webhook: Telegram calls WEBHOOK_URL (its path is `webhookPath`) with WEBHOOK_SECRET, on PORT. */
export type WebhookConfig = Common &
  Derived & { mode: "webhook"; BOT_TOKEN: string; WEBHOOK_URL: string; WEBHOOK_SECRET: string; PORT: number; webhookPath: string };
export type Config = TerminalConfig | PollingConfig | WebhookConfig;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function createConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(environment)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const database = e.DATABASE_URL
    ? ({ kind: "postgres", url: e.DATABASE_URL } as const)
    : ({ kind: "sqlite", file: `${e.DATA_DIR.replace(/\/+$/, "")}/jalan-pulang.db` } as const);
  const toMinutes = (hm: string) => {
    const [h, m] = hm.split(":").map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  };
  const staffHours = e.STAFF_HOURS
    ? { start: toMinutes(e.STAFF_HOURS.slice(0, 5)), end: toMinutes(e.STAFF_HOURS.slice(6)) }
    : undefined;
  const staffOncall = e.STAFF_ONCALL.split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith("@") ? s : `@${s}`));
  const derived: Derived = { database, staffOncall, staffHours };
  if (e.mode === "webhook") {
    // superRefine has made sure of both
    const { BOT_TOKEN, WEBHOOK_SECRET } = e as typeof e & { BOT_TOKEN: string; WEBHOOK_SECRET: string };
    return { ...e, ...derived, BOT_TOKEN, WEBHOOK_SECRET, webhookPath: new URL(e.WEBHOOK_URL).pathname || "/telegram" };
  }
  if (e.mode === "polling") return { ...e, ...derived };
  return { ...e, ...derived, BOT_TOKEN: undefined };
}
