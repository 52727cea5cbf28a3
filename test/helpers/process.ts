/** Start the real bot process (node --import tsx src/main.ts) against a fake Bot API; always killed by the caller. */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const E2E_TOKEN = "123456:E2E_TOKEN_abcdefghijklmnopqrstuvwxyz";

export interface BotProcess {
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function startBot(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", BOT_TOKEN: E2E_TOKEN, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return {
    child,
    output: () => out,
    kill(signal = "SIGKILL") {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((r) => {
        child.once("exit", () => r());
        child.kill(signal);
      });
    },
  };
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
