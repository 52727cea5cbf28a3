/**
 * Updates being handled right now, whoever delivered them (the runner in
 * polling mode, the webhook, the terminal). The runner's stop() only stops
 * fetching; shutdown waits here for the updates it already handed to the bot.
 */
import type { Bot, Context } from "grammy";

export interface InFlight {
  count(): number;
  /** resolves when nothing is in flight, or after `timeoutMs` (then false) */
  drain(timeoutMs: number): Promise<boolean>;
}

export function trackInFlight<C extends Context>(bot: Bot<C>): InFlight {
  const running = new Set<Promise<void>>();
  const handle = bot.handleUpdate.bind(bot);
  bot.handleUpdate = (update, webhookReplyEnvelope) => {
    const p = handle(update, webhookReplyEnvelope);
    running.add(p);
    const forget = () => running.delete(p);
    p.then(forget, forget);
    return p;
  };
  return {
    count: () => running.size,
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (running.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...running]),
          new Promise((r) => {
            timer = setTimeout(r, left);
          }),
        ]);
        clearTimeout(timer);
      }
      return true;
    },
  };
}
