/**
 * Escalation: an urgent case nobody claimed within URGENT_CLAIM_MINUTES is
 * announced again in the General topic (on-call staff mentioned) and in the
 * escalation chat, once, ahead of every other message. A blocked user's case
 * is not announced again.
 */
import type { NewOutboxRow } from "../../storage/repositories/outbox.ts";
import { type DeskEnv, PRIORITY, SYSTEM } from "./env.ts";
import { topicLink } from "./render.ts";
import type { CaseService } from "./service.ts";

export interface Escalation {
  /** announce urgent cases nobody claimed in time; returns how many */
  escalate(): Promise<number>;
}

export function createEscalation(env: DeskEnv, cases: CaseService): Escalation {
  const { config, repos } = env.deps;
  const { st, staffChat } = env;

  async function escalate(): Promise<number> {
    const at = env.now();
    const due = await repos.cases.dueForEscalation(at - config.URGENT_CLAIM_MINUTES * 60_000);
    let n = 0;
    for (const c of due) {
      if (await cases.isBlocked(c.userId)) continue;
      const link = topicLink(staffChat, c.threadId);
      const text = [
        st("desk:staff.escalation", { id: c.id, minutes: config.URGENT_CLAIM_MINUTES, oncall: config.staffOncall.join(" ") }).trim(),
        link ? st("desk:staff.escalation_link", { link }) : undefined,
      ]
        .filter(Boolean)
        .join("\n");
      const rows: NewOutboxRow[] = [{ chatId: staffChat, caseId: c.id, kind: "text", priority: PRIORITY.escalation, payload: { text }, createdAt: at }];
      const esc = config.ESCALATION_CHAT_ID;
      if (esc !== undefined && esc !== staffChat) rows.push({ chatId: esc, caseId: c.id, kind: "text", priority: PRIORITY.escalation, payload: { text }, createdAt: at });
      const done = await repos.cases.update(
        c.id,
        { escalated_at: at },
        { expectStatus: ["open", "reopened"], onlyIfNotEscalated: true, outbox: () => rows, audit: () => [{ caseId: c.id, ...SYSTEM, action: "escalated", at }] },
      );
      if (done) n++;
    }
    if (n) env.kick();
    return n;
  }

  return { escalate };
}
