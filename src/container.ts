/**
 * The container: config → logger → facts → texts → database → repositories.
 * Built once by main.ts (and by tests/benchmarks with their own config).
 */
import type { SendBudget } from "./bot/budget.ts";
import type { BotDeps } from "./bot/context.ts";
import type { Config } from "./config.ts";
import { DEFAULT_FACTS_FILE, loadFacts } from "./content/facts.ts";
import { createTranslator } from "./i18n.ts";
import type { Logger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import { type Database, openDatabase } from "./storage/db.ts";
import { createStorageHealth } from "./storage/health.ts";
import { createRepositories } from "./storage/repositories.ts";

export async function createContainer(
  config: Config,
  logger: Logger,
  options: { database?: Database; now?: () => number; defaultMetrics?: boolean; budget?: SendBudget } = {},
): Promise<BotDeps> {
  const facts = loadFacts(config.FACTS_FILE ?? DEFAULT_FACTS_FILE);
  const translator = createTranslator(facts);
  const database = options.database ?? (await openDatabase(config.database, { logger }));
  const repos = createRepositories(database);
  const metrics = createMetrics(options.defaultMetrics ?? false);
  const storageHealth = createStorageHealth(logger);
  return {
    config,
    logger,
    facts,
    translator,
    database,
    repos,
    metrics,
    storageHealth,
    now: options.now ?? Date.now,
    ...(options.budget ? { budget: options.budget } : {}),
  };
}
