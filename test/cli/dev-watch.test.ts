import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../helpers/send.ts";
import { REPO, startDev, type DevProcess } from "../helpers/serve-process.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 19 item 5: `gatehouse dev --watch` with real file edits. Every step waits for what dev
// prints ("reloaded", "kept the last good definition"), never for a fixed time.

let dir: string;
let upstream: UpstreamStub;
let dev: DevProcess;
let base: string;
let token: string;
let release: () => void = () => {};
let slowArrived: () => void = () => {};

const settings = (methods: string[], path: string) => `export const methods = ${JSON.stringify(methods)} as const;\nexport const path = "${path}";\n`;
const definition = (name = "watched") =>
  `import { defineGateway } from "gatehouse-gateway";
import { methods, path } from "./settings.ts";
export default defineGateway({ name: "${name}", endpoints: { api: { upstream: "${upstream.url}" + path, methods: [...methods], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } } });\n`;

/** Resolves when `pattern` has appeared `count` times in what dev printed on `stream`. */
async function printed(stream: "out" | "err", pattern: RegExp, count: number): Promise<string> {
  const text = () => (stream === "out" ? dev.out() : dev.err());
  for (let i = 0; i < 600 && (text().match(new RegExp(pattern.source, "g")) ?? []).length < count; i++) await new Promise((r) => setTimeout(r, 25));
  expect((text().match(new RegExp(pattern.source, "g")) ?? []).length, text()).toBeGreaterThanOrEqual(count);
  return text();
}
const call = (method: string, tail: string) => {
  const id = /gateway 'watched' \(id ([0-9a-f-]{36})/.exec(dev.out())![1]!;
  return send(`${base}/api/${id}/proxy/api${tail}`, { method, headers: { authorization: `Bearer ${token}` } });
};

beforeAll(async () => {
  await mkdir(join(REPO, ".gatehouse"), { recursive: true });
  dir = await mkdtemp(join(REPO, ".gatehouse", "watch-"));
  upstream = await startUpstream(async (req, res) => {
    if (req.url?.includes("slow")) {
      slowArrived();
      await new Promise<void>((r) => (release = r));
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ url: req.url, method: req.method }));
  });
  await writeFile(join(dir, "settings.ts"), settings(["GET"], "/v1"));
  await writeFile(join(dir, "gateway.ts"), definition());
  dev = await startDev([join(dir, "gateway.ts"), "--memory", "--port", "0", "--watch"], process.env, /watching/);
  base = /Gatehouse dev server on (http:\/\/[^,\s]+)/.exec(dev.out())![1]!;
  token = /dev token \(tok_\w+, all endpoints, shown once\): (gatehouse_\w+)/.exec(dev.out())![1]!;
}, 30_000);
afterAll(async () => {
  release();
  dev?.child.kill("SIGTERM");
  await dev?.exited;
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("gatehouse dev --watch", () => {
  it("says what it watches: the definition and the file it imports", () => {
    expect(dev.out()).toContain("watching");
    expect(dev.out()).toContain("and 1 file(s) it imports; edits take effect on save");
  });

  it("an edit to an imported file takes effect; a request in flight finishes on the old definition", async () => {
    const arrived = new Promise<void>((r) => (slowArrived = r));
    const slow = call("GET", "/slow");
    await arrived;
    await writeFile(join(dir, "settings.ts"), settings(["GET", "POST"], "/v2"));
    const out = await printed("out", /reloaded /, 1);
    expect(out).toMatch(/reloaded \S+gateway\.ts: gateway 'watched' revision [0-9a-f]{12} \(was gateway 'watched' revision [0-9a-f]{12}\)/);
    const fresh = await call("POST", "/fresh");
    expect(fresh.status).toBe(200);
    expect(fresh.json()).toEqual({ url: "/v2/fresh", method: "POST" });
    release();
    const old = await slow;
    expect(old.status).toBe(200);
    expect(old.json()).toEqual({ url: "/v1/slow", method: "GET" });
  });

  it("an edit that does not validate keeps the last good definition and prints each problem on one line, no stack", async () => {
    await writeFile(join(dir, "settings.ts"), settings(["GET", "PSOT"], "/v3"));
    // The summary line comes first and the problem lines after it, in writes of their own that
    // may arrive in separate chunks: wait for the last line, not the first.
    const err = await printed("err", /methods\[1\]: 'PSOT' is not an allowed method.*\n/, 1);
    expect(err).toMatch(/✗ \S+gateway\.ts: 1 problem\(s\); kept the last good definition \(gateway 'watched' revision [0-9a-f]{12}\)/);
    expect(err).toContain("gateway.ts: endpoints.api.methods[1]: 'PSOT' is not an allowed method; use GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(err).not.toMatch(/\n\s+at /);
    const still = await call("POST", "/still");
    expect(still.status).toBe(200);
    expect(still.json()).toEqual({ url: "/v2/still", method: "POST" });
  });

  it("a syntax error keeps it too; the next good edit of the definition file itself takes effect", async () => {
    await writeFile(join(dir, "gateway.ts"), `${definition()}\nexport const broken = ;\n`);
    await printed("err", /kept the last good definition/, 2);
    expect((await call("GET", "/x")).status).toBe(200);
    await writeFile(join(dir, "settings.ts"), settings(["GET"], "/v4"));
    await writeFile(join(dir, "gateway.ts"), definition());
    await printed("out", /reloaded /, 2);
    const after = await call("GET", "/y");
    expect(after.json()).toEqual({ url: "/v4/y", method: "GET" });
    expect((await call("POST", "/y")).status).toBe(405);
    expect(dev.child.exitCode).toBeNull();
  });
});
