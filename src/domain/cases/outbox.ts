/**
 * Outbox policy, pure: which pending message goes next, when a chat may get
 * another message, and which pending relays merge into one.
 *
 * Telegram lets a bot send about 20 messages a minute to one group, about one a
 * second to one private chat and about 30 a second overall. Each limit is kept
 * as a sliding window over the times of the last sends (a window never lets
 * more than `limit` sends fall within `windowMs`, which is how the 429s come).
 */

export interface WindowRule {
  limit: number;
  windowMs: number;
}

export interface PacingRules {
  group: WindowRule;
  /** a group is a chat too: about one a second (short bursts), within its minute's budget */
  groupBurst?: WindowRule;
  private: WindowRule;
  global: WindowRule;
}

/**
 * Defaults: 19 of Telegram's 20/min per group (a margin for clock drift), at most 5
 * of them within 5 s, 1/s per private chat, 25 of 30/s overall.
 */
export function defaultPacing(groupPerMinute = 20): PacingRules {
  return {
    group: { limit: Math.max(1, groupPerMinute - 1), windowMs: 60_000 },
    groupBurst: { limit: 5, windowMs: 5_000 },
    private: { limit: 1, windowMs: 1_000 },
    global: { limit: 25, windowMs: 1_000 },
  };
}

export function isGroupChat(chatId: number): boolean {
  return chatId < 0;
}

/** Earliest time a new send fits the window, given earlier send times (any order). */
export function nextAllowedAt(sentTimes: readonly number[], rule: WindowRule, now: number): number {
  const recent = sentTimes.filter((t) => t > now - rule.windowMs).sort((a, b) => a - b);
  if (recent.length < rule.limit) return now;
  // The send that must leave the window before another fits.
  const oldest = recent[recent.length - rule.limit] as number;
  return oldest + rule.windowMs;
}

/** Per-chat and global sliding windows, plus "blocked until" after a 429. In memory, per instance. */
export class Pacer {
  private readonly perChat = new Map<number, number[]>();
  private readonly global: number[] = [];
  private readonly blocked = new Map<number, number>();

  constructor(readonly rules: PacingRules) {}

  private rule(chatId: number): WindowRule {
    return isGroupChat(chatId) ? this.rules.group : this.rules.private;
  }

  /** Earliest time `chatId` may get another message (counted: a new message; uncounted: an edit/close). */
  nextAt(chatId: number, now: number, counted = true): number {
    const g = nextAllowedAt(this.global, this.rules.global, now);
    const b = this.blocked.get(chatId) ?? 0;
    const sent = this.perChat.get(chatId) ?? [];
    const c = counted ? nextAllowedAt(sent, this.rule(chatId), now) : now;
    const burst = counted && isGroupChat(chatId) && this.rules.groupBurst ? nextAllowedAt(sent, this.rules.groupBurst, now) : now;
    return Math.max(g, b, c, burst);
  }

  record(chatId: number, at: number, counted = true): void {
    this.global.push(at);
    prune(this.global, at - this.rules.global.windowMs);
    if (!counted) return;
    const list = this.perChat.get(chatId) ?? [];
    list.push(at);
    prune(list, at - this.rule(chatId).windowMs);
    this.perChat.set(chatId, list);
  }

  /** Telegram said "retry after": nothing more to this chat until then. */
  block(chatId: number, until: number): void {
    this.blocked.set(chatId, Math.max(until, this.blocked.get(chatId) ?? 0));
  }
}

function prune(list: number[], before: number): void {
  while (list.length > 0 && (list[0] as number) <= before) list.shift();
}

export interface QueuedRow {
  id: string;
  priority: number;
  seq: number;
}

export interface MergeCandidate {
  id: string;
  text: string;
}

export const MAX_MESSAGE = 4096;

/**
 * Several pending text relays for the same case: take the first and as many
 * following as fit in one message (texts joined by a blank line). Returns the
 * ids merged and the text. The first is always taken (cut to fit if alone).
 */
export function mergeTexts(rows: readonly MergeCandidate[], max = MAX_MESSAGE, sep = "\n\n"): { ids: string[]; text: string } {
  const first = rows[0];
  if (!first) return { ids: [], text: "" };
  const ids = [first.id];
  let text = first.text.length > max ? first.text.slice(0, max) : first.text;
  for (const r of rows.slice(1)) {
    if (text.length + sep.length + r.text.length > max) break;
    text += sep + r.text;
    ids.push(r.id);
  }
  return { ids, text };
}

/** Back-off after a network error or 5xx: 1 s, 2 s, 4 s … up to 5 min. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
}
