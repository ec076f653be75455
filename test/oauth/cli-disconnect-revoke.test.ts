import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { LocalSecretBox } from "../../functions/adapters/local/local-secret-box.ts";
import { openStores, type LocalStores } from "../../functions/front-doors/node/wire-stores.ts";
import { openTokens } from "../../functions/oauth/token-vault.ts";
import { recordingIo } from "../helpers/recording-io.ts";
import { CLIENT_ID, CLIENT_SECRET, connectHeadless, startOidcGateway, type OidcGateway } from "./support/oidc-gateway.ts";

/** oidc-provider's introspection (RFC 7662): is the token still active? */
async function active(h: OidcGateway, token: string): Promise<boolean> {
  const response = await fetch(`${h.oidc.issuer}/token/introspection`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  return ((await response.json()) as { active: boolean }).active;
}

describe("gatehouse connections disconnect --definition: revokes at the provider from the CLI (local data folder)", () => {
  let dir: string;
  let stores: LocalStores;
  let h: OidcGateway;
  let definition: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gatehouse-disconnect-"));
    stores = await openStores({ kind: "local", dataDir: join(dir, ".gatehouse") });
    const box = await LocalSecretBox.fromKeyFile(join(dir, ".gatehouse", "keyring.key"));
    h = await startOidcGateway({ accessTokenTtl: 60, store: stores.connections, box, revocation: true });
    // The same gateway as the running one, written as a user's definition file (a plain object).
    const idp = h.gateway.connections.idp!;
    definition = join(dir, "gateway.mjs");
    await writeFile(
      definition,
      `export default ${JSON.stringify({
        name: h.gateway.name,
        id: h.gateway.id,
        connections: { idp },
        endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"], connection: "idp" } },
      })};\n`,
    );
  });
  afterAll(async () => {
    await h?.close();
    await stores?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = async (...args: string[]) => {
    const io = recordingIo(dir, { IDP_CLIENT_SECRET: CLIENT_SECRET });
    const code = await main(args, io);
    return { code, out: io.stdout(), err: io.stderr() };
  };

  it("revokes the grant (oidc-provider's RFC 7009 endpoint), says so, and the refresh token is dead", async () => {
    expect((await connectHeadless((await h.oauth.createConnectSession(h.gateway, "idp", h.base)).url)).status).toBe(200);
    const record = await h.store.get(h.gateway.id, "idp");
    const tokens = await openTokens(h.box, h.gateway.id, "idp", record!.sealedTokens!);
    expect(await active(h, tokens.refreshToken!)).toBe(true);

    const result = await run("connections", "disconnect", h.gateway.id, "idp", "--definition", definition, "--unsafe-allow-private", "127.0.0.1/32");
    expect(result.err).toContain("⚠ --unsafe-allow-private 127.0.0.1/32");
    expect(result.code).toBe(0);
    expect(result.out).toBe(`disconnected 'idp' of gateway ${h.gateway.id}: its tokens are deleted here, and the grant is revoked at generic.`);
    expect(await active(h, tokens.refreshToken!)).toBe(false);
    expect(await h.store.get(h.gateway.id, "idp")).toBeNull();
  });

  it("without the private-range allowance the guard refuses the loopback provider: the record goes, the output says the grant is still held and how to revoke it", async () => {
    expect((await connectHeadless((await h.oauth.createConnectSession(h.gateway, "idp", h.base)).url)).status).toBe(200);
    const record = await h.store.get(h.gateway.id, "idp");
    const tokens = await openTokens(h.box, h.gateway.id, "idp", record!.sealedTokens!);
    const result = await run("connections", "disconnect", h.gateway.id, "idp", "--definition", definition);
    expect(result.code).toBe(0);
    const [first, second] = result.out.split("\n");
    expect(first).toMatch(new RegExp(`^disconnected 'idp' of gateway ${h.gateway.id}: its tokens are deleted here\\. revocation failed: .*127\\.0\\.0\\.1`));
    expect(second).toBe("generic still holds the grant: remove the grant on the authorization server's consent or account page.");
    expect(await active(h, tokens.refreshToken!)).toBe(true);
    expect(await h.store.get(h.gateway.id, "idp")).toBeNull();
    expect(result.out).not.toContain(tokens.refreshToken!);
    expect(result.out).not.toContain(CLIENT_SECRET);
  });

  it("refuses a definition that does not define the gateway, with a usage error", async () => {
    expect((await connectHeadless((await h.oauth.createConnectSession(h.gateway, "idp", h.base)).url)).status).toBe(200);
    const other = join(dir, "other.mjs");
    await writeFile(
      other,
      `export default ${JSON.stringify({ name: "other", endpoints: { a: { upstream: "https://api.example.com", methods: ["GET"] } } })};\n`,
    );
    const result = await run("connections", "disconnect", h.gateway.id, "idp", "--definition", other);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`does not define gateway ${h.gateway.id}`);
    expect(await h.store.get(h.gateway.id, "idp")).not.toBeNull();
  });
});
