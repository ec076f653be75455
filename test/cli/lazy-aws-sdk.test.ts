import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../helpers/send.ts";
import { REPO, scratchGateway, startDev, startServe } from "../helpers/serve-process.ts";

// A module hook (node:module registerHooks, run in the process by --import) that writes every URL
// the process resolves to a file: what a server loads, seen from inside the process.
const HOOK = `import { registerHooks } from "node:module";
import { appendFileSync } from "node:fs";
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    appendFileSync(process.env.GATEHOUSE_TEST_RESOLVED, resolved.url + "\\n");
    return resolved;
  },
});
`;

describe("the AWS SDK is loaded only for the DynamoDB stores", () => {
  let dir: string;
  let hook: string;
  let definition: string;
  beforeAll(async () => {
    ({ dir, definition } = await scratchGateway("lazy-sdk-", "lazysdk"));
    hook = join(dir, "hook.mjs");
    await writeFile(hook, HOOK);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  /** The environment that arms the hook, and the file it writes. */
  const hooked = (name: string) => {
    const file = join(dir, `${name}.txt`);
    return { file, env: { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`, GATEHOUSE_TEST_RESOLVED: file } };
  };
  const resolved = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []);
  const fromSdk = (urls: string[]) => urls.filter((url) => url.includes("/node_modules/@aws-sdk/"));

  it("gatehouse serve on the SQLite store answers without it", async () => {
    const { file, env } = hooked("serve");
    const serve = await startServe([definition, "--data", join(dir, "data"), "--port", "0"], env);
    try {
      expect((await send(`${serve.base}/healthz`)).status).toBe(200);
    } finally {
      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
    }
    const urls = resolved(file);
    // The hook ran in the serving process (after its re-exec): it saw the server's own modules.
    expect(urls.some((url) => url.endsWith("/dist/functions/front-doors/node/node-server.js"))).toBe(true);
    expect(urls.some((url) => url.endsWith("/dist/functions/adapters/sqlite/open-sqlite-store.js"))).toBe(true);
    expect(fromSdk(urls)).toEqual([]);
  });

  it("gatehouse dev --memory starts without it", async () => {
    const { file, env } = hooked("dev");
    const dev = await startDev([definition, "--memory", "--port", "0"], { ...process.env, ...env });
    try {
      expect(dev.out()).toMatch(/try:/);
    } finally {
      dev.child.kill("SIGTERM");
      await dev.exited;
    }
    const urls = resolved(file);
    expect(urls.some((url) => url.endsWith("/dist/functions/adapters/memory/memory-token-store.js"))).toBe(true);
    expect(fromSdk(urls)).toEqual([]);
  });

  it("the hook does see it when the DynamoDB stores are opened (a client made, no request sent)", async () => {
    const { file, env } = hooked("dynamo");
    const script = `const { openStores } = await import(${JSON.stringify(pathToFileURL(join(REPO, "dist/functions/front-doors/node/wire-stores.js")).href)});
const stores = await openStores({ kind: "aws", region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "x", secretAccessKey: "x" },
  tables: { tokens: "t", rateLimits: "r", audit: "a", connections: "c" } });
console.log(stores.description);
await stores.close();`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO, env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(out).toContain("DynamoDB http://127.0.0.1:9");
    const sdk = fromSdk(resolved(file));
    expect(sdk.some((url) => url.includes("/@aws-sdk/client-dynamodb/"))).toBe(true);
    expect(sdk.some((url) => url.includes("/@aws-sdk/lib-dynamodb/"))).toBe(true);
  });
});
