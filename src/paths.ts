/**
 * The project root (where package.json, locales/ and content/ are), found from
 * this file whether it runs as TypeScript (src/) or compiled (dist/src/).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "locales"))) return dir;
    const up = dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const LOCALES_DIR = join(PROJECT_ROOT, "locales");
export const DEFAULT_FACTS_PATH = join(PROJECT_ROOT, "content", "facts.json");
