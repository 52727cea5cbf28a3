/**
 * pino JSON logs. Message texts, names, usernames, phone numbers and the bot
 * token never reach the log: they are redacted by path, and the token is
 * scrubbed from any string (grammY error messages can contain API URLs).
 */
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/** Paths (at any of the first depths) that may carry personal data or secrets. */
const SENSITIVE_KEYS = [
  "text",
  "caption",
  "first_name",
  "last_name",
  "username",
  "phone_number",
  "token",
  "botToken",
  "BOT_TOKEN",
  "DATABASE_URL",
  "WEBHOOK_SECRET",
  "secret",
  "name",
  "contact",
  "location",
  "update",
  "reply_markup",
];

export const REDACT_PATHS = SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

const TOKEN_RE = /\d{6,}:[A-Za-z0-9_-]{30,}/g;

export function scrubSecrets(s: string): string {
  return s.replace(TOKEN_RE, "[token]");
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "jalan-pulang" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === "string" ? scrubSecrets(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
      serializers: {
        err: (err: unknown) => {
          const e = pino.stdSerializers.err(err as Error);
          return { ...e, message: scrubSecrets(e.message ?? ""), stack: scrubSecrets(e.stack ?? "") };
        },
      },
    },
    destination,
  );
}
