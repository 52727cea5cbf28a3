/** Core tables: key-value state (sessions, conversations), users, processed updates. */
export interface KvTable {
  /** namespaced key, e.g. "session:12345" or "conv:12345" */
  key: string;
  /** the chat/user the row belongs to (for /forget and retention) */
  owner: number | null;
  /** JSON */
  value: string;
  updated_at: number;
}

export interface UsersTable {
  id: number;
  first_seen_at: number;
  last_seen_at: number;
}

export interface ProcessedUpdatesTable {
  update_id: number;
  processed_at: number;
}

export interface CoreTables {
  kv: KvTable;
  users: UsersTable;
  processed_updates: ProcessedUpdatesTable;
}
