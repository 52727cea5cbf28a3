/**
 * Answering a button press is a courtesy (it stops the button's spinner). When
 * Telegram refuses it (the press is older than its time limit, e.g. after a
 * restart or a poor connection, or the query id is unknown), the person must
 * still get the answer they asked for, not an error: such a refusal counts as
 * answered. An API transformer, so it also covers calls made inside conversations.
 */
import type { Transformer } from "grammy";
import type { Logger } from "../../logger.ts";

export function tolerateStaleCallbacks(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (method === "answerCallbackQuery" && !res.ok && res.error_code === 400) {
      logger.debug({ description: res.description }, "callback query could not be answered");
      return { ok: true, result: true } as unknown as typeof res;
    }
    return res;
  };
}
