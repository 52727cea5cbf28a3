/** Intake: updates stored before Telegram is told they arrived, until their handling completed. */
export interface InboxTable {
  update_id: number;
  /** the update as Telegram sent it (JSON) */
  payload: string;
  received_at: number;
}

export interface IntakeTables {
  inbox: InboxTable;
}
