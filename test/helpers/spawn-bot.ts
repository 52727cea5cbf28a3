/**
 * Start the real bot (src/main.ts) as a child process with a clean environment,
 * for end-to-end tests and the start-up benchmark: the one process starter of
 * the tests. kill() always ends it; stop(signal) resolves once it has exited.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { PROJECT_ROOT } from "../../src/paths.ts";

export const TEST_TOKEN = "123456:TEST_TOKEN_abcdefghijklmnopqrstuvwxyz";

export interface BotProcess {
  child: ChildProcess;
  /** everything written so far (stdout and stderr, as they came) */
  output(): string;
  /** stdout alone (the terminal chat's replies) */
  stdout(): string;
  /** stderr alone */
  stderr(): string;
  /** resolves with the exit code (or the signal name) */
  exited: Promise<number | string>;
  /** SIGKILL if still running */
  kill(): void;
  /** send `signal` (default SIGKILL) if still running; resolves once the process has exited */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  /** "dist": the compiled JavaScript (npm run build first) */
  entry?: "ts" | "dist";
  /** written to the process's stdin, which is then closed (the terminal chat); without it stdin is closed at once */
  stdin?: string;
}

export function spawnBot(env: Record<string, string>, options: SpawnOptions = {}): BotProcess {
  const args = options.entry === "dist" ? ["dist/src/main.js"] : ["--import", "tsx", "src/main.ts"];
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    // Only what the bot needs: nothing from the developer's shell (no .env values either,
    // since dotenv never overrides what is set, and these are all set).
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "warn", ...env },
    stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  let out = "";
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
    stdout += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    out += c.toString();
    stderr += c.toString();
  });
  if (options.stdin !== undefined) {
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(options.stdin);
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  return {
    child,
    output: () => out,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
    async stop(signal: NodeJS.Signals = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Poll until `cond` holds (or fail after `timeoutMs`, naming `what`). */
export async function waitFor(cond: () => boolean, timeoutMs: number, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Poll until `url` answers 200 (or the process exits, or time runs out). */
export async function waitReady(url: string, proc: BotProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`bot exited before ready:\n${proc.output()}`);
    try {
      const r = await fetch(url);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`bot not ready within ${timeoutMs} ms:\n${proc.output()}`);
}
