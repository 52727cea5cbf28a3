/**
 * Prometheus metrics with low-cardinality labels only (never user or chat ids).
 * A fresh Registry per bot instance, so tests can create many bots.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  registry: Registry;
  updates: Counter<"type">;
  replies: Counter<"method">;
  errors: Counter<"kind">;
  handleSeconds: Histogram;
}

export function createMetrics(withDefaults = false): Metrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    updates: new Counter({ name: "bot_updates_total", help: "Updates received, by type", labelNames: ["type"], registers: [registry] }),
    replies: new Counter({ name: "bot_api_calls_total", help: "Bot API calls made, by method", labelNames: ["method"], registers: [registry] }),
    errors: new Counter({ name: "bot_handler_errors_total", help: "Errors while handling updates", labelNames: ["kind"], registers: [registry] }),
    handleSeconds: new Histogram({
      name: "bot_update_handle_seconds",
      help: "Time to handle one update",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
