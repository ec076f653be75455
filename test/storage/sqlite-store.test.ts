import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, open, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, STORE_FILE_NAME, StoreOpenError } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { openLocalStores } from "../../functions/front-doors/node/wire-stores.ts";
import { rateLimitBuckets } from "../../functions/engine/enforce-rate-limit.ts";
import type { SqliteRateLimiter } from "../../functions/adapters/sqlite/sqlite-rate-limiter.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { hashToken } from "../../functions/tokens/token-format.ts";
import { startCountingUpstream, storeEngine, type CountingUpstream } from "./engine-on-dynamo.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";

let upstream: CountingUpstream;
const folders: string[] = [];
beforeAll(async () => {
  upstream = await startCountingUpstream();
});
afterAll(async () => {
  await upstream?.close();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "gatehouse-sqlite-"));
  folders.push(dir);
  return join(dir, ".gatehouse");
}

/** A store with 300 audit records and one revoked token among live ones, closed (so all of it is in the main file). */
async function storeWithRevokedToken(): Promise<{ dir: string; file: string; revoked: string; live: string }> {
  const dir = await dataDir();
  const store = openSqliteStore(dir);
  const revoked = await issueToken(store.tokens, { gatewayId: "g", label: "revoked", now: Date.now() });
  const live = await issueToken(store.tokens, { gatewayId: "g", label: "live", now: Date.now() });
  for (let i = 0; i < 300; i++) {
    await store.audit.write(
      auditRecord({
        requestId: `req_${i}`,
        time: Date.now(),
        gatewayId: "g",
        gatewayName: "g",
        endpoint: "echo",
        tokenId: live.record.id,
        tokenLabel: "live",
        path: `/p/${"x".repeat(200)}`,
      }),
    );
  }
  expect(await store.tokens.revoke(revoked.record.id, Date.now())).toBe(true);
  store.close();
  return { dir, file: join(dir, STORE_FILE_NAME), revoked: revoked.token, live: live.token };
}

/** Opens the store and answers the error message (or "opened" when it opened). */
function openMessage(dir: string): string {
  try {
    openSqliteStore(dir).close();
    return "opened";
  } catch (error) {
    expect(error).toBeInstanceOf(StoreOpenError);
    return (error as Error).message;
  }
}

describe("the SQLite store", () => {
  it("keeps tokens, counters and audit across a restart on the same data folder", async () => {
    const dir = await dataDir();
    const first = await openLocalStores({ memory: false, dataDir: dir });
    expect(first.description).toBe(`SQLite ${join(dir, STORE_FILE_NAME)}`);
    const gw1 = storeEngine({ upstream, ...first, rateLimit: { perMinute: 50 } });
    const { token, record } = await issueToken(first.tokens, { gatewayId: gw1.gateway.id, label: "survivor", now: gw1.clock.now() });
    expect((await gw1.get(token)).status).toBe(200);
    expect((await gw1.get(token)).status).toBe(200);
    await gw1.close();
    await first.close();

    const second = await openLocalStores({ memory: false, dataDir: dir });
    const gw2 = storeEngine({ upstream, ...second, rateLimit: { perMinute: 50 }, clock: gw1.clock });
    const after = await gw2.get(token);
    expect(after.status).toBe(200);
    // The minute counter carried over: 50 - 3.
    expect(after.headers.ratelimit).toMatch(/"per-minute";r=47;/);
    const buckets = rateLimitBuckets(gw2.gateway, gw2.gateway.endpoints.echo!, record.id);
    expect((second.rateLimiter as SqliteRateLimiter).count(buckets[0]!.key, "minute", gw2.clock.now())).toBe(3);
    expect((await second.audit.query({ tokenId: record.id })).map((r) => r.status)).toEqual([200, 200, 200]);
    await gw2.close();
    await second.close();
  });

  it("lets two openers in one process share the file: a write of one is read by the other at once", async () => {
    const dir = await dataDir();
    const a = openSqliteStore(dir);
    const b = openSqliteStore(dir);
    const { token, record } = await issueToken(a.tokens, { gatewayId: "g", label: "seen by both", now: Date.now() });
    expect((await b.tokens.findByHash(hashToken(token)))?.label).toBe("seen by both");
    expect(await b.tokens.revoke(record.id, Date.now())).toBe(true);
    expect((await a.tokens.findByHash(hashToken(token)))?.revokedAt).toBeTypeOf("number");
    a.close();
    b.close();
    expect(existsSync(join(dir, "store.json"))).toBe(false);
  });

  it("makes the folder 0700 and the database, its WAL and shared-memory files, the keyring, secrets and gateways.json 0600", async () => {
    const dir = await dataDir();
    const local = await openLocalStores({ memory: false, dataDir: dir });
    await issueToken(local.tokens, { gatewayId: "g", label: "x", now: 1 });
    const { LocalSecretBox } = await import("../../functions/adapters/local/local-secret-box.ts");
    const { SealedSecretsFile } = await import("../../functions/adapters/local/sealed-secrets-file.ts");
    const { recordGateways } = await import("../../cli/gateway-names.ts");
    const box = await LocalSecretBox.fromKeyFile(join(dir, "keyring.key"));
    await new SealedSecretsFile(join(dir, "secrets.json"), box).set("NAME", "value");
    await recordGateways(dir, [{ name: "acme", id: "g" }]);
    // While open, the WAL and shared-memory files exist.
    const names = [STORE_FILE_NAME, `${STORE_FILE_NAME}-wal`, `${STORE_FILE_NAME}-shm`, "keyring.key", "secrets.json", "gateways.json"];
    const modes = Object.fromEntries(names.map((name) => [name, (statSync(join(dir, name)).mode & 0o777).toString(8)]));
    expect(modes).toEqual(Object.fromEntries(names.map((name) => [name, "600"])));
    expect((statSync(dir).mode & 0o777).toString(8)).toBe("700");
    await local.close();
  });

  it("tightens a folder an earlier version left 0755 to 0700", async () => {
    const dir = await dataDir();
    await mkdir(dir, { mode: 0o755 });
    openSqliteStore(dir).close();
    expect((statSync(dir).mode & 0o777).toString(8)).toBe("700");
  });

  it("refuses a folder of the earlier dynalite store with one line naming it and the steps, and creates nothing", async () => {
    const dir = await dataDir();
    await mkdir(join(dir, "dynamo"), { recursive: true });
    await writeFile(join(dir, "store.json"), "");
    const message = openMessage(dir);
    expect(message).toContain(`${dir} holds the store of an earlier Gatehouse (store.json, dynamo: dynalite)`);
    expect(message).toContain(`mkdir ${join(dir, "old-store")} && mv ${join(dir, "store.json")} ${join(dir, "dynamo")} ${join(dir, "old-store")}`);
    expect(message).toContain("gatehouse token create");
    expect(message).not.toContain("\n");
    expect(existsSync(join(dir, STORE_FILE_NAME))).toBe(false);
  });

  it.each([
    ["an empty file", Buffer.alloc(0), "the file is empty"],
    ["garbage", Buffer.from("this is not a database\n".repeat(100)), "file is not a database"],
  ])("refuses %s as the store at once, with one line naming the folder", async (_what, content, why) => {
    const dir = await dataDir();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, STORE_FILE_NAME), content);
    const message = openMessage(dir);
    expect(message).toContain(`the store ${join(dir, STORE_FILE_NAME)} cannot be used: ${why}`);
    expect(message).toContain(`Stop every gatehouse process using ${dir}`);
    expect(message).not.toContain("\n");
  });

  it("refuses another program's SQLite file", async () => {
    const dir = await dataDir();
    await mkdir(dir, { recursive: true });
    const foreign = new DatabaseSync(join(dir, STORE_FILE_NAME));
    foreign.exec("CREATE TABLE tokens (hash TEXT PRIMARY KEY)");
    foreign.close();
    expect(openMessage(dir)).toContain("it is not a Gatehouse store");
  });

  it("refuses a truncated file rather than running on part of it: the revoked token is never served as valid", async () => {
    const { dir, file } = await storeWithRevokedToken();
    await truncate(file, Math.floor(statSync(file).size / 2));
    expect(openMessage(dir)).toMatch(/cannot be used: (database disk image is malformed|integrity check)/);
  });

  it("refuses a file with a garbled page", async () => {
    const { dir, file } = await storeWithRevokedToken();
    const handle = await open(file, "r+");
    await handle.write(Buffer.alloc(4096, 0x41), 0, 4096, 4096 * 3);
    await handle.close();
    expect(openMessage(dir)).toMatch(/cannot be used: (database disk image is malformed|integrity check)/);
  });

  it("keeps a revocation when the WAL left by a killed server is cut or lost (the revoke was checkpointed into the main file)", async () => {
    const dir = await dataDir();
    // The server's connection stays open, so the WAL is not folded away as it is at a clean close.
    const server = openSqliteStore(dir);
    const cli = openSqliteStore(dir);
    const now = Date.now();
    const { token, record } = await issueToken(cli.tokens, { gatewayId: "g", label: "to revoke", now });
    expect(await cli.tokens.revoke(record.id, now + 2)).toBe(true);
    cli.close();
    // The server writes on after the revoke, so the WAL holds frames from after it.
    for (let i = 0; i < 50; i++) await server.rateLimiter.consume({ now: 1000 + i, buckets: [{ key: `k${i}`, scope: "token", perMinute: 5 }] });
    const wal = join(dir, `${STORE_FILE_NAME}-wal`);
    expect(statSync(wal).size).toBeGreaterThan(0);
    // What a kill -9 leaves on disk: the main file and the WAL (the shared-memory index is rebuilt from the WAL).
    const mainFile = await readFile(join(dir, STORE_FILE_NAME));
    const walFile = await readFile(wal);
    server.close();
    const damages = {
      "WAL cut to a third": (path: string) => truncate(path, Math.floor(walFile.length / 3)),
      "WAL lost": (path: string) => rm(path),
    };
    for (const [what, damage] of Object.entries(damages)) {
      const crashed = await dataDir();
      await mkdir(crashed, { mode: 0o700 });
      await writeFile(join(crashed, STORE_FILE_NAME), mainFile, { mode: 0o600 });
      await writeFile(join(crashed, `${STORE_FILE_NAME}-wal`), walFile, { mode: 0o600 });
      await damage(join(crashed, `${STORE_FILE_NAME}-wal`));
      const reopened = openSqliteStore(crashed);
      expect({ what, revokedAt: (await reopened.tokens.findByHash(hashToken(token)))?.revokedAt }).toEqual({ what, revokedAt: now + 2 });
      reopened.close();
    }
  });

  it("is backed up while open with VACUUM INTO (examples/self-hosted/README.md), and the copy opens as a store with the same tokens", async () => {
    const { dir, revoked, live } = await storeWithRevokedToken();
    const running = openSqliteStore(dir);
    const backupDir = await dataDir();
    await mkdir(backupDir, { mode: 0o700 });
    running.database.db.exec(`VACUUM INTO '${join(backupDir, STORE_FILE_NAME)}'`);
    running.close();
    const restored = openSqliteStore(backupDir);
    expect((await restored.tokens.findByHash(hashToken(revoked)))?.revokedAt).toBeTypeOf("number");
    expect((await restored.tokens.findByHash(hashToken(live)))?.revokedAt).toBeNull();
    expect((await restored.audit.query({ gatewayId: "g" })).length).toBe(300);
    restored.close();
  });
});
