import { expect } from "vitest";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const RUNNER = new URL("../../../functions/front-doors/lambda/invoke-locally.mjs", import.meta.url).pathname;

/** What the Function URL client gets from the streaming door (see `runtime-response-stream.mjs`). */
export interface StreamedAnswer {
  prelude: { statusCode: number; headers: Record<string, string>; cookies: string[] };
  /** The body after the prelude, base64. */
  body: string;
  /** Every byte the runtime sent, base64. */
  raw: string;
  contentType: string;
  preludeMissing?: boolean;
  error?: string;
}

/**
 * Runs the built bundle in `bundleDir` in a child process of `node` (Lambda's runtime version),
 * calling `handler` with each event in turn, and returns the results in order.
 */
export async function invokeBundle<R>(
  node: string,
  bundleDir: string,
  handler: "handler" | "streamHandler",
  events: unknown[],
  env: Record<string, string>,
): Promise<{ node: string; results: R[] }> {
  const tag = `${handler}-${process.hrtime.bigint()}`;
  const requestFile = join(bundleDir, "..", `request-${tag}.json`);
  const resultFile = join(bundleDir, "..", `result-${tag}.json`);
  await writeFile(requestFile, JSON.stringify({ handler, events }));
  await run(node, [RUNNER, bundleDir, requestFile, resultFile], { env, timeout: 30_000 });
  const out = JSON.parse(await readFile(resultFile, "utf8")) as { node: string; results: Array<{ result: R }> };
  return { node: out.node, results: out.results.map((r) => r.result) };
}

/** The decoded body of a streamed answer. */
export const streamedText = (answer: StreamedAnswer): string => Buffer.from(answer.body, "base64").toString("utf8");

/**
 * What every streamed answer must show the client: its prelude (never lost, never a runtime
 * error), the status, Gatehouse's request id, and for a gateway-made refusal its problem+json code.
 */
export function expectStreamedAnswer(answer: StreamedAnswer, status: number, code: string | null): void {
  expect(answer.error).toBeUndefined();
  expect(answer.preludeMissing).toBeUndefined();
  expect(answer.contentType).toBe("application/vnd.awslambda.http-integration-response");
  expect(answer.prelude.statusCode).toBe(status);
  expect(answer.prelude.headers["x-request-id"]).toMatch(/^req_[0-9a-f]{32}$/);
  if (code) {
    expect(answer.prelude.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(streamedText(answer))).toMatchObject({ status, code });
  }
}
