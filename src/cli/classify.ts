/**
 * Editors' tool: classify free text exactly as the bot does.
 *
 *   npm run --silent classify -- "paspor saya ditahan"   -> one JSON line
 *   printf 'halo\nnomor kbri\n' | npm run --silent classify   -> one JSON line per non-empty input line
 */
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { classify } from "../domain/classify.ts";

interface Writable {
  write(chunk: string): unknown;
}

export async function runClassifyCli(
  argv: readonly string[],
  stdin: NodeJS.ReadableStream,
  stdout: Writable,
): Promise<number> {
  if (argv.length > 0) {
    stdout.write(JSON.stringify(classify(argv.join(" "))) + "\n");
    return 0;
  }
  const lines = createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    stdout.write(JSON.stringify(classify(line)) + "\n");
  }
  return 0;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  runClassifyCli(process.argv.slice(2), process.stdin, process.stdout).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
