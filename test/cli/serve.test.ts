import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../helpers/send.ts";
import { listeningPorts, REPO, runCli, startServe } from "../helpers/serve-process.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

let dir: string;
let upstream: UpstreamStub;
let definition: string;
let release: (() => void) | null = null;

beforeAll(async () => {
  await mkdir(join(REPO, ".gatehouse"), { recursive: true });
  dir = await mkdtemp(join(REPO, ".gatehouse", "serve-"));
  upstream = await startUpstream(async (req, res) => {
    // /slow waits until the test releases it, so a request is surely in flight at SIGTERM.
    if (req.url?.includes("slow")) await new Promise<void>((r) => (release = r));
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  definition = join(dir, "gateway.ts");
  await writeFile(
    definition,
    `import { defineGateway } from "gatehouse-gateway";
export default defineGateway({ name: "servetest", endpoints: { api: { upstream: "${upstream.url}", methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } } });\n`,
  );
});
afterAll(async () => {
  release?.();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

describe("gatehouse serve", () => {
  it("refuses to start without --data", async () => {
    const serve = await startServe([definition, "--port", "0"]);
    expect(await serve.exited).toBe(2);
    expect(serve.stderr()).toContain("gatehouse serve: --data <dir> is required");
  });

  it("refuses a definition's unsafeAllowPrivateNetworks unless the command line names the range too", async () => {
    const serve = await startServe([definition, "--data", join(dir, "refused"), "--port", "0"]);
    expect(await serve.exited).toBe(2);
    expect(serve.stderr()).toContain(
      "gatehouse serve: servetest/api sets unsafeAllowPrivateNetworks 127.0.0.1/32; gatehouse serve runs it only when the command line says so too: --unsafe-allow-private 127.0.0.1/32",
    );
  });

  it("has no --demo, --memory or --upstream", async () => {
    for (const flag of ["--demo", "--memory", "--upstream=api=http://127.0.0.1:1"]) {
      const serve = await startServe([definition, "--data", join(dir, "flags"), flag]);
      expect(await serve.exited).toBe(2);
      expect(serve.stderr()).toContain(`gatehouse serve: unknown option '${flag.split("=")[0]}'`);
    }
  });

  it("serves on the SQLite store with JSON lines, listens on no port but its own, and drains on SIGTERM", async () => {
    const data = join(dir, "data");
    const serve = await startServe([definition, "--data", data, "--port", "0", "--unsafe-allow-private", "127.0.0.1/32"]);
    try {
      const started = serve.lines().find((l) => l.event === "serve.started")!;
      expect(started).toMatchObject({ level: "info", store: `SQLite ${join(data, "gatehouse.db")}`, gateways: [{ name: "servetest", endpoints: ["api"] }] });
      expect(serve.lines()[0]).toMatchObject({ level: "warn", event: "serve.unsafe", cidr: "127.0.0.1/32" });
      const gatewayId = (started.gateways as Array<{ id: string }>)[0]!.id;
      const port = Number(new URL(serve.base).port);

      // The only listening socket of the process is the gateway's: no store port to forge tokens through.
      expect(listeningPorts(serve.child.pid!)).toEqual([port]);
      // The earlier store's attack, a DynamoDB PutItem of a token of the attacker's choosing, has nowhere to go.
      const forged = await send(`${serve.base}/`, {
        method: "POST",
        headers: { "x-amz-target": "DynamoDB_20120810.PutItem", "content-type": "application/x-amz-json-1.0" },
        body: JSON.stringify({ TableName: "gatehouse-tokens", Item: { hash: { S: "0".repeat(64) } } }),
      });
      expect(forged.status).toBe(404);

      // A token made in another process (another terminal) works at once.
      const created = await runCli(["token", "create", "--gateway", "servetest", "--label", "ops", "--data", data, "--json"]);
      expect(created.code).toBe(0);
      const { token } = JSON.parse(created.stdout) as { token: string };
      const url = `${serve.base}/api/${gatewayId}/proxy/api/thing`;
      const ok = await send(url, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      const isAccess = (l: Record<string, unknown>) => l.event === "request" && l.requestId === ok.headers["x-request-id"];
      // The access line is written once the response has gone out.
      for (let i = 0; i < 100 && !serve.lines().some(isAccess); i++) await new Promise((r) => setTimeout(r, 20));
      const access = serve.lines().find(isAccess);
      expect(access).toMatchObject({ level: "info", method: "GET", path: `/api/${gatewayId}/proxy/api/thing`, status: 200, clientAddress: "127.0.0.1" });

      // In flight at SIGTERM: it finishes with 200; the process exits 0.
      const slow = send(`${serve.base}/api/${gatewayId}/proxy/api/slow`, { headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 100 && !release; i++) await new Promise((r) => setTimeout(r, 20));
      expect(release).not.toBeNull();
      serve.child.kill("SIGTERM");
      for (let i = 0; i < 100 && !serve.lines().some((l) => l.event === "serve.draining"); i++) await new Promise((r) => setTimeout(r, 20));
      expect(serve.lines().find((l) => l.event === "serve.draining")).toMatchObject({ signal: "SIGTERM" });
      // New work is refused while draining: a new connection is not accepted (or answered 503).
      const late = await send(url, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.status,
        (e: NodeJS.ErrnoException) => e.code,
      );
      expect([503, "ECONNREFUSED"]).toContain(late);
      release!();
      expect((await slow).status).toBe(200);
      expect(await serve.exited).toBe(0);
      expect(serve.lines().at(-1)).toMatchObject({ event: "serve.stopped", signal: "SIGTERM", drained: true });
      // The audit kept both requests.
      const audit = await runCli(["audit", "--gateway", "servetest", "--data", data, "--json"]);
      expect((JSON.parse(audit.stdout) as Array<{ path: string; status: number }>).map((r) => [r.path.split("/").at(-1), r.status])).toEqual([
        ["thing", 200],
        ["slow", 200],
      ]);
    } finally {
      if (serve.child.exitCode === null) serve.child.kill("SIGKILL");
    }
  });
});
