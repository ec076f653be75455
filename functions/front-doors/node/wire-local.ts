import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Gateway } from "../../../schema/gateway.ts";
import { createEngine, type Engine } from "../../engine/create-engine.ts";
import { LocalSecretBox } from "../../adapters/local/local-secret-box.ts";
import { SealedSecretSource } from "../../adapters/local/sealed-secret-source.ts";
import { UndiciUpstreamClient, type UndiciUpstreamOptions } from "../../adapters/upstream/undici-upstream-client.ts";
import { nodeTokenHasher } from "../../adapters/node/node-token-hasher.ts";
import type { AuditSink } from "../../ports/audit-sink.ts";
import type { EnginePorts } from "../../ports/index.ts";
import { systemClock, type Clock } from "../../ports/clock.ts";
import { jsonLog, type Log } from "../../ports/log.ts";
import { openLocalStores, type LocalStores } from "./wire-stores.ts";
import { createOAuth, type OAuth } from "../../oauth/wire-oauth.ts";
import type { EndpointOverrides } from "../../oauth/provider-preset.ts";

/** What a local gateway is built from. */
export interface LocalWiring {
  gateways: Gateway[];
  /** Memory stores instead of the embedded durable store. @default false */
  memory?: boolean;
  /** @default ".gatehouse" */
  dataDir?: string;
  /** Secret values by name (environment variables, a secrets file). */
  secretValues: Record<string, string | undefined>;
  /** The `--unsafe-allow-private` CIDRs. @default [] */
  unsafeAllowPrivate?: string[];
  /** @default 10 */
  tokenCacheSeconds?: number;
  clock?: Clock;
  log?: Log;
  /** Guard options for the upstream client (tests inject resolvers); provider calls use them too. */
  upstream?: UndiciUpstreamOptions;
  /** OAuth provider URLs replacing the presets' (a local authorization server); never from a definition. */
  oauthEndpoints?: EndpointOverrides;
  /** Wraps the store's audit sink for the engine and OAuth (the metrics decorator, `--metrics`). */
  wrapAudit?: (sink: AuditSink) => AuditSink;
}

/** A wired local engine and what must be closed with it. */
export interface LocalGateway {
  engine: Engine;
  ports: EnginePorts;
  stores: LocalStores;
  /** The OAuth module, when a gateway has connections (connect links: `oauth.createConnectSession`). */
  oauth: OAuth | null;
  /**
   * An engine for other definitions on the same stores, upstream client and OAuth module, their
   * secrets sealed anew from the same values (`gatehouse dev --watch`). Throws, naming them, when
   * secrets are missing; the running engine is untouched.
   */
  rebuild(gateways: Gateway[]): Promise<Engine>;
  close(): Promise<void>;
}

/**
 * The local composition root: embedded (or memory) stores, the local keyring sealing the
 * secrets, the SSRF-guarded undici client, and the OAuth module when a gateway has connections.
 * The only place local adapters are chosen.
 */
export async function wireLocal(wiring: LocalWiring): Promise<LocalGateway> {
  const dataDir = wiring.dataDir ?? ".gatehouse";
  const memory = wiring.memory ?? false;
  // In memory mode nothing is written to disk, the keyring included: a fresh key per run.
  const box = memory ? new LocalSecretBox(randomBytes(32)) : await LocalSecretBox.fromKeyFile(join(dataDir, "keyring.key"));
  const secrets = await SealedSecretSource.seal(box, wiring.gateways, wiring.secretValues);
  const stores = await openLocalStores({ memory, dataDir });
  const upstream = new UndiciUpstreamClient(wiring.upstream);
  const clock = wiring.clock ?? systemClock;
  const log = wiring.log ?? jsonLog((line) => process.stderr.write(`${line}\n`));
  const audit = wiring.wrapAudit ? wiring.wrapAudit(stores.audit) : stores.audit;

  // OAuth: tokens sealed by the same keyring, the connections table of the same store, provider
  // calls through the same SSRF guard (and the same --unsafe-allow-private ranges).
  let oauth: OAuth | null = null;
  if (wiring.gateways.some((g) => Object.keys(g.connections).length > 0)) {
    const guard = wiring.upstream?.guard;
    oauth = createOAuth({
      store: stores.connections,
      box,
      secrets,
      audit,
      log,
      clock,
      gateways: wiring.gateways,
      network: {
        ...(guard?.lookup ? { lookup: guard.lookup } : {}),
        ...(guard?.dial ? { dial: guard.dial } : {}),
        unsafeAllowPrivate: wiring.unsafeAllowPrivate ?? [],
      },
      ...(wiring.oauthEndpoints ? { endpoints: wiring.oauthEndpoints } : {}),
    });
  }
  const ports: EnginePorts = {
    tokens: stores.tokens,
    rateLimiter: stores.rateLimiter,
    audit,
    secrets,
    upstream,
    clock,
    log,
    hashToken: nodeTokenHasher,
    ...(oauth ? { connections: oauth.connections, oauthRoutes: oauth.oauthRoutes } : {}),
  };
  const engineFor = (gateways: Gateway[], enginePorts: EnginePorts) =>
    createEngine({
      gateways,
      ports: enginePorts,
      ...(wiring.tokenCacheSeconds !== undefined ? { tokenCacheSeconds: wiring.tokenCacheSeconds } : {}),
      unsafeAllowPrivate: wiring.unsafeAllowPrivate ?? [],
    });
  const engine = engineFor(wiring.gateways, ports);
  return {
    engine,
    ports,
    stores,
    oauth,
    async rebuild(gateways) {
      return engineFor(gateways, { ...ports, secrets: await SealedSecretSource.seal(box, gateways, wiring.secretValues) });
    },
    async close() {
      await oauth?.close();
      await upstream.close();
      await stores.close();
    },
  };
}
