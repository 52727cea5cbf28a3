/** Intake: updates stored before Telegram is told they arrived, until their handling completed. */
export interface InboxTable {
  update_id: number;
  /** whose updates must be handled in order (the chat, else the user); null: none */
  chat_key: string | null;
  /** the update as Telegram sent it (JSON) */
  payload: string;
  received_at: number;
}

/** Sends of every instance (PostgreSQL), so they share one send budget: one row per send and window key. */
export interface SendLogTable {
  /** "bot", or "chat:<id>" */
  key: string;
  at: number;
}

export interface IntakeTables {
  inbox: InboxTable;
  send_log: SendLogTable;
}
