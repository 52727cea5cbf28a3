/** The whole database schema, as Kysely sees it. Each area declares its own tables in tables/. */
import type { CoreTables } from "./tables/core.ts";
import type { DeskTables } from "./tables/desk.ts";
import type { FlowTables } from "./tables/flows.ts";
import type { IntakeTables } from "./tables/intake.ts";

export type DB = CoreTables & DeskTables & FlowTables & IntakeTables;
