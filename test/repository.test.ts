/**
 * Promises about the repository itself (issue 12, points 6, 7 and 9): what a
 * clone contains, the dependencies it declares, and the one stand-in Bot API
 * and the one process starter of the tests.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../src/paths.ts";

const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), "utf8");
const pkg = JSON.parse(read("package.json")) as { engines: { node: string }; dependencies: Record<string, string>; devDependencies: Record<string, string> };

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(join(PROJECT_ROOT, dir)).flatMap((f) => {
    const rel = join(dir, f);
    if (f === "node_modules" || f === "fixtures") return [];
    return statSync(join(PROJECT_ROOT, rel)).isDirectory() ? files(rel, ext) : ext.test(f) ? [rel] : [];
  });
}
const code = (dirs: string[]) => dirs.flatMap((d) => files(d, /\.(ts|js|json|md)$/));

describe("a clone has what it needs (point 6)", () => {
  it("nothing points outside the repository (the sources behind the facts are in content/SOURCES.md)", () => {
    const offenders = [...code(["src", "test", "bench", "content", "locales"]), "README.md", "Dockerfile", ".env.example"].filter((f) =>
      /\.\.\/shared\b|\/work\/shared/.test(read(f)),
    );
    expect(offenders).toEqual([]);
    expect(existsSync(join(PROJECT_ROOT, "content", "SOURCES.md"))).toBe(true);
    expect(read("README.md")).toContain("content/SOURCES.md");
  });

  it("the Dockerfile's Node is the one engines asks for", () => {
    const major = /(\d+)/.exec(pkg.engines.node)?.[1];
    const froms = [...read("Dockerfile").matchAll(/^FROM node:(\d+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    for (const f of froms) expect(f).toBe(major);
  });

  it("the README says where the terminal chat keeps its data and how long the quick bench takes", () => {
    const readme = read("README.md");
    expect(readme).toMatch(/`\.\/data\/jalan-pulang\.db`/);
    expect(readme).toMatch(/npm run bench -- --quick`?\s+# .*about \d+ s/);
  });
});

describe("dependencies (point 7)", () => {
  const imported = (dirs: string[]) => {
    const text = code(dirs).map(read).join("\n") + read("package.json") + read("vitest.config.ts") + read("eslint.config.js") + read("tsconfig.json");
    return (name: string) => text.includes(`"${name}"`) || text.includes(`"${name}/`) || text.includes(`'${name}'`) || text.includes(`${name} `);
  };

  it("every runtime dependency is imported by src/", () => {
    const used = (name: string) => code(["src"]).some((f) => new RegExp(`from "${name}(/[^"]*)?"|import\\("${name}(/[^"]*)?"\\)`).test(read(f)));
    expect(Object.keys(pkg.dependencies).filter((d) => !used(d))).toEqual([]);
  });

  it("every development dependency is used by the tests, the benchmarks, the tooling or the scripts", () => {
    const used = imported(["src", "test", "bench"]);
    // type packages are used through the modules they describe
    const unused = Object.keys(pkg.devDependencies).filter((d) => !d.startsWith("@types/") && !used(d));
    expect(unused).toEqual([]);
  });

  it("no dropped or test-only package comes back: tsx is a development dependency; no telegram-test-api, menu or rate-limit plugins", () => {
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.devDependencies.tsx).toBeDefined();
    for (const name of ["telegram-test-api", "@grammyjs/menu", "@grammyjs/ratelimiter", "@grammyjs/transformer-throttler"]) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.devDependencies[name], name).toBeUndefined();
    }
  });
});

describe("one stand-in Bot API and one process starter for the tests (point 9)", () => {
  const tests = files("test", /\.ts$/);

  it("only test/helpers/fake-bot-api.ts serves a Bot API over HTTP", () => {
    const servers = tests.filter((f) => /import \{[^}]*createServer[^}]*\} from "node:http"|http\.createServer\(/.test(read(f)));
    expect(servers).toEqual(["test/helpers/fake-bot-api.ts"]);
  });

  it("only test/helpers/spawn-bot.ts starts the bot's process (src/main.ts)", () => {
    const starters = tests.filter((f) => f !== "test/helpers/spawn-bot.ts" && /spawn(Sync)?\([^)]*\n?[^)]*src\/main\.ts|"src\/main\.ts"\]/.test(read(f)));
    expect(starters.map((f) => relative(".", f))).toEqual([]);
  });
});
