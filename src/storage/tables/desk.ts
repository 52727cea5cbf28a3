/** Staff desk tables: cases, the outbox, the audit log and 24-hour blocks. */
import type { Generated } from "kysely";

export interface DeskCasesTable {
  /** the case number staff see (#12): given by the database, never reused (migration 005) */
  id: Generated<number>;
  /** the user's private chat id (= user id) */
  user_id: number;
  /** open | claimed | resolved | reopened */
  status: string;
  /** urgent | normal */
  priority: string;
  /** the user's language (id | en) */
  lang: string;
  /** worker | family */
  writer: string;
  /** JSON array of triage signals */
  signals: string;
  /** the case's forum topic, once created */
  thread_id: number | null;
  /** the case card's message id in the topic, once sent */
  card_message_id: number | null;
  claimed_by: number | null;
  claimed_by_name: string | null;
  /** may staff write to the user here: null not answered, 1 yes, 0 no */
  contact_consent: number | null;
  /** the user agreed that staff see their name (then user_name is set) */
  user_name: string | null;
  /** the first messages (trimmed), for the card */
  preview: string;
  created_at: number;
  updated_at: number;
  /** the user's last message on this case */
  last_user_at: number;
  escalated_at: number | null;
  resolved_at: number | null;
  /** how a resolved case ended (kbri | splp | home | police_shelter | lost_contact | not_trafficking | other) */
  outcome: string | null;
  /** first claimed (by the button or by replying) */
  claimed_at: number | null;
  /** the first staff message to the user */
  first_reply_at: number | null;
  /** remind the topic then (a follow-up set with /followup) */
  follow_up_at: number | null;
}

export interface DeskOutboxTable {
  id: string;
  /** creation order (epoch ms × 1000 + counter) */
  seq: number;
  chat_id: number;
  /** the case whose topic the message goes into (its thread id is looked up when sending) */
  thread_case_id: number | null;
  case_id: number | null;
  /** the user the row is about: it is deleted with them (also any row of one of their cases) */
  owner: number | null;
  /** topic | card | card_edit | text | copy | topic_state | document | photo */
  kind: string;
  /** 0 first (urgent, staff waiting) … 1 normal */
  priority: number;
  /** JSON */
  payload: string;
  /** pending | sending | sent | failed | held */
  status: string;
  attempts: number;
  next_attempt_at: number;
  /** lease: a sender owns the row until then */
  locked_until: number;
  created_at: number;
  sent_at: number | null;
  /** JSON of the Telegram result (message id, thread id) */
  result: string | null;
  error: string | null;
}

export interface DeskAuditTable {
  id: string;
  case_id: number | null;
  /** staff member, 0 for the system, or the user (consent); set to 0 when that user is forgotten */
  actor_id: number;
  actor_name: string;
  /** created | claim | resolve | reopen | block | relay_held | escalated | note … */
  action: string;
  detail: string | null;
  at: number;
  /** order of writing */
  seq: number;
}

export interface DeskBlocksTable {
  user_id: number;
  until: number;
  by_id: number;
  at: number;
}

export interface DeskTables {
  desk_cases: DeskCasesTable;
  desk_outbox: DeskOutboxTable;
  desk_audit: DeskAuditTable;
  desk_blocks: DeskBlocksTable;
}
