import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { DynamoConnectionStore } from "../../functions/adapters/aws/dynamo-connection-store.ts";
import { connectHeadless, startOidcGateway, type OidcGateway } from "./support/oidc-gateway.ts";
import { openTokens } from "../../functions/oauth/token-vault.ts";
import { recordingIo } from "../helpers/recording-io.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";

describe("gatehouse connect and gatehouse connections (DynamoDB flags, dynalite)", () => {
  let db: TestDynalite;
  let h: OidcGateway;
  let cwd: string;
  let flags: string[];
  beforeAll(async () => {
    db = await startTestDynalite();
    h = await startOidcGateway({ accessTokenTtl: 60, store: new DynamoConnectionStore({ client: db.client, tableName: db.tables.connections }) });
    cwd = await mkdtemp(join(tmpdir(), "gatehouse-cli-"));
    flags = ["--endpoint-url", db.endpoint, "--table-prefix", "test"];
  });
  afterAll(async () => {
    await h?.close();
    await db?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  const run = async (...args: string[]) => {
    const io = recordingIo(cwd);
    const code = await main(args, io);
    return { code, out: io.stdout(), err: io.stderr() };
  };

  it("prints a one-time start URL the gateway accepts; list and show say who and what, never a token", async () => {
    expect((await run("connections", "list", h.gateway.id, ...flags)).out).toContain("no connections");
    const connect = await run("connect", h.gateway.id, "idp", "--base-url", h.base, ...flags);
    expect(connect.code).toBe(0);
    const url = connect.out.split("\n").find((line) => line.startsWith("http"))!;
    expect(url).toMatch(new RegExp(`^${h.base}/api/${h.gateway.id}/oauth/idp/start\\?session=`));
    const page = await connectHeadless(url);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Connected as user-1@example.test");
    expect((await connectHeadless(url)).status).toBe(410); // single use

    const list = await run("connections", "list", h.gateway.id, ...flags);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/idp\s+generic\s+connected\s+user-1@example\.test/);
    const show = await run("connections", "show", h.gateway.id, "idp", ...flags);
    expect(show.out).toContain("scopes         openid email offline_access");
    expect(show.out).toContain("refresh token  held (sealed)");
    const json = await run("connections", "show", h.gateway.id, "idp", "--json", ...flags);
    expect(JSON.parse(json.out)).not.toHaveProperty("sealedTokens");
    const record = await h.store.get(h.gateway.id, "idp");
    const tokens = await openTokens(h.box, h.gateway.id, "idp", record!.sealedTokens!);
    for (const output of [list.out, show.out, json.out]) {
      expect(output).not.toContain(tokens.accessToken);
      expect(output).not.toContain(tokens.refreshToken!);
      expect(output).not.toContain(record!.sealedTokens!);
    }

    const disconnect = await run("connections", "disconnect", h.gateway.id, "idp", ...flags);
    expect(disconnect.code).toBe(0);
    // Without the definition nothing can revoke at the provider: the output says it still holds the grant.
    expect(disconnect.out.split("\n")).toEqual([
      `disconnected 'idp' of gateway ${h.gateway.id}: its tokens are deleted here.`,
      "generic still holds the grant: remove the grant on the authorization server's consent or account page.",
      "(With --definition <gateway file> the gateway revokes it at the provider itself.)",
    ]);
    expect(await h.store.get(h.gateway.id, "idp")).toBeNull();
    const after = await h.proxy();
    expect(after.status).toBe(503);
    expect(await after.json()).toMatchObject({ code: "CONNECTION_NOT_CONNECTED" });
    expect((await run("connections", "show", h.gateway.id, "idp", ...flags)).code).toBe(1);
  });

  it("refuses wrong invocations with usage errors", async () => {
    expect((await run("connect", h.gateway.id, ...flags)).code).toBe(2);
    expect((await run("connections", "frobnicate", h.gateway.id, ...flags)).code).toBe(2);
    const badBase = await run("connect", h.gateway.id, "idp", "--base-url", "ftp://x", ...flags);
    expect(badBase.code).toBe(1);
    expect(badBase.err).toContain("http(s)");
  });
});
