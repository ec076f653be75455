import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { parseAutocannonJson } from "./parse-autocannon.ts";
import { parseWrkOutput, type WrkNumbers } from "./parse-wrk.ts";

/** Which program generates the load. */
export type LoadGenerator = "wrk" | "autocannon";

/** One load run against one URL. */
export interface LoadSpec {
  generator: LoadGenerator;
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

/**
 * Runs the load generator as its own process (never in the harness's event loop) and reads
 * its report. wrk runs one thread: on a 2-core machine a second thread would only take CPU
 * from the servers being measured. The run is bounded by `seconds`; a hung generator is
 * killed after twice that.
 */
export async function runLoad(spec: LoadSpec): Promise<WrkNumbers> {
  const headerArgs = Object.entries(spec.headers).flatMap(([k, v]) => ["-H", spec.generator === "wrk" ? `${k}: ${v}` : `${k}=${v}`]);
  const [command, args] =
    spec.generator === "wrk"
      ? ["wrk", ["-t1", `-c${spec.connections}`, `-d${spec.seconds}s`, "--latency", "--timeout", "5s", ...headerArgs, spec.url]]
      : [process.execPath, [autocannonBin(), "-c", String(spec.connections), "-d", String(spec.seconds), "--json", "--no-progress", ...headerArgs, spec.url]];
  const output = await capture(command, args, (spec.seconds * 2 + 10) * 1000);
  return spec.generator === "wrk" ? parseWrkOutput(output) : parseAutocannonJson(output);
}

function autocannonBin(): string {
  return createRequire(import.meta.url).resolve("autocannon/autocannon.js");
}

function capture(command: string, args: string[], killAfterMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} exited with ${code}: ${(err || out).trim().slice(0, 500)}`));
    });
  });
}
