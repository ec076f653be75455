import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbeddedStore, STORE_FILE } from "../../functions/adapters/local/open-embedded-store.ts";
import { tableNames } from "../../functions/contracts/tables.ts";
import { openLocalStores } from "../../functions/front-doors/node/wire-stores.ts";
import { rateLimitBuckets } from "../../functions/engine/enforce-rate-limit.ts";
import type { DynamoRateLimiter } from "../../functions/adapters/aws/dynamo-rate-limiter.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { hashToken } from "../../functions/tokens/token-format.ts";
import { startCountingUpstream, storeEngine, type CountingUpstream } from "./engine-on-dynamo.ts";

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
  const dir = await mkdtemp(join(tmpdir(), "gatehouse-store-"));
  folders.push(dir);
  return join(dir, ".gatehouse");
}

describe("the embedded store", () => {
  it("keeps tokens, counters and audit across a restart of the server on the same data folder", async () => {
    const dir = await dataDir();
    const first = await openLocalStores({ memory: false, dataDir: dir });
    expect(first.description).toContain("embedded DynamoDB (dynalite)");
    const gw1 = storeEngine({ upstream, ...first, rateLimit: { perMinute: 50 } });
    const { token, record } = await issueToken(first.tokens, { gatewayId: gw1.gateway.id, label: "survivor", now: gw1.clock.now() });
    expect((await gw1.get(token)).status).toBe(200);
    expect((await gw1.get(token)).status).toBe(200);
    await gw1.close();
    await first.close();
    await expect(readFile(join(dir, STORE_FILE), "utf8")).rejects.toThrow();

    const second = await openLocalStores({ memory: false, dataDir: dir });
    const gw2 = storeEngine({ upstream, ...second, rateLimit: { perMinute: 50 }, clock: gw1.clock });
    const after = await gw2.get(token);
    expect(after.status).toBe(200);
    // The minute counter carried over: 50 - 3.
    expect(after.headers.ratelimit).toMatch(/"per-minute";r=47;/);
    const buckets = rateLimitBuckets(gw2.gateway, gw2.gateway.endpoints.echo!, record.id);
    expect(await (second.rateLimiter as DynamoRateLimiter).count({ now: gw2.clock.now(), buckets }, buckets[0]!.key, "minute")).toBe(3);
    expect((await second.audit.query({ tokenId: record.id })).map((r) => r.status)).toEqual([200, 200, 200]);
    await gw2.close();
    await second.close();
  });

  it("lets a second opener reach the holder's store through store.json instead of failing on the lock", async () => {
    const dir = await dataDir();
    const holder = await openEmbeddedStore(dir, tableNames());
    expect(holder.holder()).toBe(true);
    const file = JSON.parse(await readFile(join(dir, STORE_FILE), "utf8"));
    expect(file).toMatchObject({ pid: process.pid, port: Number(new URL(holder.endpoint()).port) });

    const holderStores = await openLocalStores({ memory: false, dataDir: dir });
    expect(holderStores.description).toContain("shared with another process");
    const { token } = await issueToken(holderStores.tokens, { gatewayId: "g", label: "seen by both", now: 1 });
    const other = await openLocalStores({ memory: false, dataDir: dir });
    expect((await other.tokens.findByHash(hashToken(token)))?.label).toBe("seen by both");

    // The holder goes away: the other opener takes the folder over on its next call and still sees the token.
    await holderStores.close();
    await holder.close();
    expect((await other.tokens.findByHash(hashToken(token)))?.label).toBe("seen by both");
    const now = JSON.parse(await readFile(join(dir, STORE_FILE), "utf8"));
    expect(now.pid).toBe(process.pid);
    expect(now.port).not.toBe(file.port);
    await other.close();
  });

  it("cleans up a stale store.json left by a process that died", async () => {
    const dir = await dataDir();
    const first = await openEmbeddedStore(dir, tableNames());
    await first.close();
    // A pid that cannot be alive and a port nobody listens on.
    await writeFile(join(dir, STORE_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, port: 9, startedAt: 0 }));
    const store = await openEmbeddedStore(dir, tableNames());
    expect(store.holder()).toBe(true);
    expect(JSON.parse(await readFile(join(dir, STORE_FILE), "utf8")).pid).toBe(process.pid);
    await store.close();
  });
});
