import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { DynamoRateLimiter } from "../../functions/adapters/aws/dynamo-rate-limiter.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { STORE_FILE_NAME } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { openLocalStores, type LocalStores } from "../../functions/front-doors/node/wire-stores.ts";
import { hashToken } from "../../functions/tokens/token-format.ts";
import { runAudit } from "../../cli/commands/audit.ts";
import { recordGateways } from "../../cli/gateway-names.ts";
import type { CliIo } from "../../cli/io.ts";
import { main } from "../../cli/main.ts";
import { gatewayIdFromName } from "../../schema/gateway-id.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { startCountingUpstream, storeEngine, type CountingUpstream, type StoreEngine } from "../storage/engine-on-dynamo.ts";

const exec = promisify(execFile);
const repo = join(import.meta.dirname, "..", "..");

function recorder(cwd: string): CliIo & { stdout: () => string; stderr: () => string; clear: () => void } {
  let out = "";
  let err = "";
  return {
    out: (t) => void (out += t.endsWith("\n") ? t : `${t}\n`),
    err: (t) => void (err += t.endsWith("\n") ? t : `${t}\n`),
    cwd,
    // No AWS credentials or region from the machine running the tests.
    env: {},
    stdout: () => out,
    stderr: () => err,
    clear: () => void ((out = ""), (err = "")),
  };
}

async function cli(io: ReturnType<typeof recorder>, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  io.clear();
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

let upstream: CountingUpstream;
let workdir: string;
beforeAll(async () => {
  upstream = await startCountingUpstream();
  workdir = await mkdtemp(join(tmpdir(), "gatehouse-cli-"));
});
afterAll(async () => {
  await upstream?.close();
  await rm(workdir, { recursive: true, force: true });
});

describe("gatehouse token and audit on a local data folder", () => {
  let dev: LocalStores;
  let gw: StoreEngine;
  const dataDir = () => join(workdir, ".gatehouse");

  beforeAll(async () => {
    // Plays `gatehouse dev`: holds the folder's store and serves a gateway whose id is not derived from its name.
    dev = await openLocalStores({ memory: false, dataDir: dataDir() });
    gw = storeEngine({ upstream, ...dev, rateLimit: { perMinute: 100 } });
    await recordGateways(dataDir(), [{ name: "acme", id: gw.gateway.id }]);
  });
  afterAll(async () => {
    await gw?.close();
    await dev?.close();
  });

  it("creates a token (printed once), lists, rotates and revokes it while dev holds the store", async () => {
    const io = recorder(workdir);
    const created = await cli(io, "token", "create", "--gateway", "acme", "--endpoints", "echo", "--label", "billing-svc", "--expires", "30d", "--json");
    expect(created.code).toBe(0);
    const json = JSON.parse(created.out);
    expect(json).toMatchObject({
      id: expect.stringMatching(/^tok_/),
      token: expect.stringMatching(/^gatehouse_/),
      gatewayId: gw.gateway.id,
      label: "billing-svc",
      endpoints: ["echo"],
      status: "active",
    });
    expect(json).not.toHaveProperty("hash");
    // Written to the store dev holds: the running gateway accepts it at once.
    expect((await gw.get(json.token)).status).toBe(200);

    const human = await cli(io, "token", "create", "--gateway", "acme", "--label", "ops");
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^ {2}gatehouse_[0-9A-Za-z]{49}$/m);
    expect(human.out).toContain("only time the token is shown");

    const list = await cli(io, "token", "list", "--gateway", gw.gateway.id);
    expect(list.out.split("\n")[0]).toMatch(/^ID\s+LABEL\s+ENDPOINTS\s+CREATED\s+EXPIRES\s+STATUS$/);
    expect(list.out).toMatch(new RegExp(`${json.id}\\s+billing-svc\\s+echo\\s+\\S+\\s+\\S+\\s+active`));
    expect(list.out).not.toContain(json.token);
    const listed = JSON.parse((await cli(io, "token", "list", "--gateway", "acme", "--json")).out);
    expect(listed.map((r: { label: string }) => r.label)).toEqual(["ops", "billing-svc"]);

    const rotated = JSON.parse((await cli(io, "token", "rotate", json.id, "--overlap", "2h", "--json")).out);
    expect(rotated.token).toMatch(/^gatehouse_/);
    const old = await dev.tokens.findById(json.id);
    expect(old!.expiresAt! - Date.parse(rotated.createdAt)).toBe(2 * 3_600_000);
    expect((await gw.get(rotated.token)).status).toBe(200);

    const revoked = await cli(io, "token", "revoke", rotated.id);
    expect(revoked.out).toContain(`revoked ${rotated.id}`);
    expect((await dev.tokens.findByHash(hashToken(rotated.token)))!.revokedAt).not.toBeNull();
    expect((await cli(io, "token", "revoke", "tok_nonexistent0")).code).toBe(1);
    expect((await cli(io, "token", "create")).code).toBe(2);
  });

  it("shows the audit with filters, in a table and as JSON", async () => {
    const io = recorder(workdir);
    const { token, id } = JSON.parse((await cli(io, "token", "create", "--gateway", "acme", "--label", "auditee", "--json")).out);
    expect((await gw.get(token, "/a")).status).toBe(200);
    expect((await gw.get("gatehouse_not-a-token", "/b")).status).toBe(401);

    const table = await cli(io, "audit", "--gateway", "acme", "--token", id);
    const lines = table.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^TIME\s+STATUS\s+DECISION\s+REASON\s+METHOD\s+ENDPOINT\s+TOKEN\s+DURATION\s+REVISION\s+PATH$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      new RegExp(`200\\s+OK\\s+-\\s+GET\\s+echo\\s+${id} \\(auditee\\)\\s+\\d+ms\\s+${gw.gateway.revision}\\s+/api/${gw.gateway.id}/proxy/echo/a`),
    );

    const refused = JSON.parse((await cli(io, "audit", "--gateway", "acme", "--status", "4xx", "--since", "1h", "--json")).out);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((r: { status: number }) => r.status >= 400 && r.status < 500)).toBe(true);
    expect(refused.at(-1)).toMatchObject({ status: 401, decision: "TOKEN_INVALID", path: `/api/${gw.gateway.id}/proxy/echo/b` });
    const exact = JSON.parse((await cli(io, "audit", "--endpoint", "echo", "--status", "200", "--json")).out);
    expect(exact.every((r: { status: number }) => r.status === 200)).toBe(true);
    expect((await cli(io, "audit", "--status", "4x")).code).toBe(2);
  });

  it("follows new records until stopped", async () => {
    const io = recorder(workdir);
    const { token, id } = JSON.parse((await cli(io, "token", "create", "--gateway", "acme", "--label", "follower", "--json")).out);
    io.clear();
    const controller = new AbortController();
    const following = runAudit(["--token", id, "--follow", "--json"], io, controller.signal);
    // The request comes after the first query, so the record can only arrive by following.
    for (let i = 0; i < 100 && !io.stderr().includes("following new records"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(io.stderr()).toBe("following new records until interrupted (Ctrl-C)\n");
    expect((await gw.get(token, "/followed")).status).toBe(200);
    for (let i = 0; i < 50 && !io.stdout().includes("/followed"); i++) await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    expect(await following).toBe(0);
    const lines = io.stdout().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ tokenId: id, status: 200, path: `/api/${gw.gateway.id}/proxy/echo/followed` });
  });

  it("works from a second process while this one has the store open (no lock failure)", async () => {
    const { stdout } = await exec(process.execPath, [join(repo, "cli", "bin.mjs"), "token", "list", "--gateway", "acme", "--json", "--data", dataDir()], {
      cwd: workdir,
      env: { PATH: process.env.PATH ?? "" },
    });
    const labels = JSON.parse(stdout).map((r: { label: string }) => r.label);
    expect(labels).toContain("billing-svc");
    // One file, no store.json port protocol.
    expect(existsSync(join(dataDir(), STORE_FILE_NAME))).toBe(true);
    expect(existsSync(join(dataDir(), "store.json"))).toBe(false);
  });
});

describe("gatehouse token and audit without a running dev", () => {
  it("opens the folder's store file itself", async () => {
    const dir = join(workdir, "alone");
    const io = recorder(workdir);
    // No gateways.json and no definitions: a name is unknown, a UUID is taken as it is.
    const unknown = await cli(io, "token", "create", "--gateway", "solo", "--data", dir, "--json");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(
      `gatehouse token: no gateway 'solo': none is recorded in ${join(dir, "gateways.json")} (written by gatehouse dev) and there are no definitions in gateways/; run gatehouse dev <file> first, or give the gateway's UUID`,
    );
    const solo = gatewayIdFromName("solo");
    const created = JSON.parse((await cli(io, "token", "create", "--gateway", solo, "--data", dir, "--json")).out);
    expect(created.gatewayId).toBe(solo);
    expect(existsSync(join(dir, STORE_FILE_NAME))).toBe(true);
    const listed = JSON.parse((await cli(io, "token", "list", "--gateway", solo, "--data", dir, "--json")).out);
    expect(listed.map((r: { id: string }) => r.id)).toEqual([created.id]);
  });
});

describe("gatehouse token and audit against DynamoDB (dynalite standing in for AWS)", () => {
  let db: TestDynalite;
  beforeAll(async () => {
    db = await startTestDynalite({ prefix: "acme-prod" });
  });
  afterAll(async () => {
    await db?.stop();
  });

  it("uses the tables named in --stack-outputs at --endpoint-url, and table flags", async () => {
    // What `pulumi stack output --json > outputs.json` writes for the program (infra/program.ts):
    // its one export `gateways`, each gateway with its own tables (here both on the same three).
    const outputs = join(workdir, "outputs.json");
    const tables = { tokens: db.tables.tokens, rateLimits: db.tables.rateLimits, audit: db.tables.audit, connections: "acme-prod-connections" };
    const entry = (name: string) => ({
      name,
      id: gatewayIdFromName(name),
      region: "us-east-1",
      baseUrl: "https://abc123.execute-api.us-east-1.amazonaws.com",
      streamUrl: null,
      endpoints: { prod: `https://abc123.execute-api.us-east-1.amazonaws.com/api/${gatewayIdFromName(name)}/proxy/prod` },
      tables,
      keyArn: "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000",
    });
    await writeFile(outputs, JSON.stringify({ gateways: { billing: entry("billing"), "store-test": entry("store-test") } }, null, 4));
    const aws = ["--endpoint-url", db.endpoint, "--stack-outputs", outputs];
    const io = recorder(workdir);
    const created = await cli(io, "token", "create", "--gateway", "billing", "--label", "prod-app", "--json", ...aws);
    expect(created.code).toBe(0);
    const { id, token } = JSON.parse(created.out);
    const tokens = new DynamoTokenStore({ client: db.client, tableName: db.tables.tokens });
    expect((await tokens.findByHash(hashToken(token)))?.id).toBe(id);

    // A gateway running on those tables (as the Lambda would), then the audit through the CLI.
    const gw = storeEngine({
      upstream,
      tokens,
      rateLimiter: new DynamoRateLimiter({ client: db.client, tableName: db.tables.rateLimits }),
      audit: new DynamoAuditSink({ client: db.client, tableName: db.tables.audit }),
    });
    // The gateway is named store-test; its id is derived from the name.
    const created2 = JSON.parse((await cli(io, "token", "create", "--gateway", "store-test", "--json", ...aws)).out);
    expect((await gw.get(created2.token, "/prod")).status).toBe(200);
    const audit = JSON.parse((await cli(io, "audit", "--gateway", "store-test", "--json", ...aws)).out);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ tokenId: created2.id, status: 200, revision: gw.gateway.revision });

    // Table flags alone say nothing about names: the gateway is given by its UUID.
    const billing = gatewayIdFromName("billing");
    const flags = ["--endpoint-url", db.endpoint, "--region", "us-east-1", "--tokens-table", db.tables.tokens, "--audit-table", db.tables.audit];
    const listed = JSON.parse((await cli(io, "token", "list", "--gateway", billing, "--json", ...flags)).out);
    expect(listed.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await cli(io, "token", "revoke", id, ...flags)).code).toBe(0);
    expect((await tokens.findById(id))?.revokedAt).not.toBeNull();
    const missing = await cli(io, "token", "list", "--gateway", billing, "--endpoint-url", db.endpoint, "--tokens-table", "nope-tokens");
    expect(missing.code).toBe(1);
    await gw.close();
  });
});
