/** Small helpers for the guided-flow tests (not a test file). */
import { type TestBot, USER_ID } from "../../helpers/bot.ts";
import { STAFF_CHAT } from "../../helpers/desk.ts";

export type Lang = "id" | "en";
export const LANGS: readonly Lang[] = ["id", "en"];
export const HOUR = 60 * 60 * 1000;

/** the text of the last message to the user */
export function last(tb: TestBot): string {
  return tb.replies().at(-1) ?? "";
}

/** all texts since the last clear, joined */
export function all(tb: TestBot): string {
  return tb.replies().join("\n---\n");
}

/** the translator for a language (expected texts come from the locales, never copied) */
export function tr(tb: TestBot, lang: Lang) {
  return tb.deps.translator.t(lang);
}

/** clear recorded calls, then run */
export async function fresh(tb: TestBot, fn: () => Promise<void>): Promise<string[]> {
  tb.api.clear();
  await fn();
  return tb.replies();
}

/** env for a bot with the real staff desk (urgent cases are created in the database) */
export const WITH_DESK = { STAFF_CHAT_ID: String(STAFF_CHAT) };

/** the user's open case, if any */
export function openCase(tb: TestBot) {
  return tb.deps.repos.cases.openFor(USER_ID);
}

/** a photo message update */
export function photoUpdate(userId: number, messageId: number, fileId: string, lang = "id") {
  return {
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: "private" as const, first_name: "Tester" },
      from: { id: userId, is_bot: false, first_name: "Tester", language_code: lang },
      photo: [
        { file_id: `${fileId}_small`, file_unique_id: "s", width: 90, height: 90 },
        { file_id: fileId, file_unique_id: "b", width: 800, height: 800 },
      ],
    },
  };
}

/** A private message from `userId` with the given content (no text). */
function privateMessage(userId: number, lang: string, messageId: number, content: Record<string, unknown>) {
  return {
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: "private" as const, first_name: "Tester" },
      from: { id: userId, is_bot: false, first_name: "Tester", language_code: lang },
      ...content,
    },
  };
}

export function stickerUpdate(userId: number, lang = "id") {
  return privateMessage(userId, lang, 9_000_001, {
    sticker: {
      file_id: "stk",
      file_unique_id: "stk",
      type: "regular" as const,
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
    },
  });
}

export function locationUpdate(userId: number, latitude: number, longitude: number, lang = "id") {
  return privateMessage(userId, lang, 9_000_002, { location: { latitude, longitude } });
}
