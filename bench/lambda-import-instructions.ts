import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { buildLambdaBundle } from "../infra/build-lambda-bundle.ts";
import { writeSdkBaseline } from "./lambda-sdk-baseline.ts";

const run = promisify(execFile);

/** Instructions (callgrind) spent importing each bundle, beyond importing an empty module. */
export interface ImportInstructions {
  gateway: number;
  sdkOnly: number;
  /** gateway / sdkOnly: the cold-import ratio without the machine's noise. */
  ratio: number;
}

/**
 * Counts the instructions `node` executes to import the gateway bundle and the
 * `@aws-sdk/client-dynamodb`-only baseline, each minus an empty module's import, under
 * `valgrind --tool=callgrind`. Timings on a shared 2-core machine swing by ±40% between runs;
 * instruction counts do not, so this is the steady form of the cold-start bench's import ratio.
 * Needs valgrind (Debian's `valgrind` package); takes about a minute.
 *
 * @example
 * const { ratio } = await measureImportInstructions(); // about 1.2 (issue 18's target: at most 1.5)
 */
export async function measureImportInstructions(node: string = process.execPath): Promise<ImportInstructions> {
  const dir = await mkdtemp(join(tmpdir(), "gatehouse-import-instructions-"));
  try {
    await mkdir(join(dir, "gateway"));
    await writeFile(join(dir, "gateway", "index.mjs"), buildLambdaBundle({ cache: false }).code);
    await writeSdkBaseline(join(dir, "sdk"));
    await mkdir(join(dir, "empty"));
    await writeFile(join(dir, "empty", "index.mjs"), "export const empty = true;\n");
    const count = async (name: string) => {
      const script = `await import(${JSON.stringify(pathToFileURL(join(dir, name, "index.mjs")).href)}); process.exit(0);`;
      const { stderr } = await run("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", node, "--input-type=module", "-e", script], {
        env: { PATH: process.env.PATH ?? "", AWS_REGION: "us-east-1" },
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      const collected = /Collected\s*:\s*(\d+)/.exec(stderr);
      if (!collected) throw new Error(`callgrind printed no instruction count for ${name}`);
      return Number(collected[1]);
    };
    const empty = await count("empty");
    const gateway = (await count("gateway")) - empty;
    const sdkOnly = (await count("sdk")) - empty;
    return { gateway, sdkOnly, ratio: gateway / sdkOnly };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// `node cli/run-ts.mjs bench/lambda-import-instructions.ts`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const m = await measureImportInstructions();
  const million = (n: number) => `${(n / 1e6).toFixed(0)}M`;
  process.stdout.write(
    `import instructions (callgrind, minus an empty import): gateway ${million(m.gateway)}, @aws-sdk/client-dynamodb alone ${million(m.sdkOnly)}: ${m.ratio.toFixed(2)}x (target at most 1.5x)\n`,
  );
}
