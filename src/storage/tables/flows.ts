/** Guided-flow tables: the person's saved checklist and going-home plan (answers only, as JSON). */
export interface ChecklistsTable {
  /** private chat id = user id */
  user_id: number;
  /** "passport" (SPLP checklist) or "going_home" (plan) */
  kind: string;
  /** JSON: the answers the plan was computed from (re-rendered in the current language) */
  data: string;
  created_at: number;
  updated_at: number;
}

export interface FlowTables {
  checklists: ChecklistsTable;
}
