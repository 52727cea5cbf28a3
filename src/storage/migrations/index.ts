/**
 * Versioned migrations, applied in name order at start-up by Kysely's Migrator
 * (which locks, so two instances starting together apply them once).
 * Add a new file and list it here; never edit one that has shipped.
 */
import type { Migration } from "kysely";
import * as m001 from "./001-core.ts";
import * as m002 from "./002-desk.ts";
import * as m003 from "./003-flows.ts";
import * as m004 from "./004-intake.ts";
import * as m005 from "./005-harden.ts";
import * as m006 from "./006-desk-outcomes.ts";
import * as m007 from "./007-desk-board.ts";
import * as m008 from "./008-send-log.ts";

export const migrations: Record<string, Migration> = {
  "001-core": m001,
  "002-desk": m002,
  "003-flows": m003,
  "004-intake": m004,
  "005-harden": m005,
  "006-desk-outcomes": m006,
  "007-desk-board": m007,
  "008-send-log": m008,
};
