import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Gateway } from "../../../schema/gateway.ts";
import { createEngine, type Engine } from "../../engine/create-engine.ts";
import { LocalSecretBox } from "../../adapters/local/local-secret-box.ts";
import { SealedSecretSource } from "../../adapters/local/sealed-secret-source.ts";
import { UndiciUpstreamClient, type UndiciUpstreamOptions } from "../../adapters/upstream/undici-upstream-client.ts";
import type { EnginePorts } from "../../ports/index.ts";
import { systemClock, type Clock } from "../../ports/clock.ts";
import { jsonLog, type Log } from "../../ports/log.ts";
import { openLocalStores, type LocalStores } from "./local-stores.ts";

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
  /** Guard options for the upstream client (tests inject resolvers). */
  upstream?: UndiciUpstreamOptions;
}

/** A wired local engine and what must be closed with it. */
export interface LocalGateway {
  engine: Engine;
  ports: EnginePorts;
  stores: LocalStores;
  close(): Promise<void>;
}

/**
 * The local composition root: embedded (or memory) stores, the local keyring sealing the
 * secrets, the SSRF-guarded undici client. The only place local adapters are chosen.
 */
export async function wireLocal(wiring: LocalWiring): Promise<LocalGateway> {
  const dataDir = wiring.dataDir ?? ".gatehouse";
  const memory = wiring.memory ?? false;
  // In memory mode nothing is written to disk, the keyring included: a fresh key per run.
  const box = memory ? new LocalSecretBox(randomBytes(32)) : await LocalSecretBox.fromKeyFile(join(dataDir, "keyring.key"));
  const secrets = await SealedSecretSource.seal(box, wiring.gateways, wiring.secretValues);
  const stores = await openLocalStores({ memory, dataDir });
  const upstream = new UndiciUpstreamClient(wiring.upstream);
  const ports: EnginePorts = {
    tokens: stores.tokens,
    rateLimiter: stores.rateLimiter,
    audit: stores.audit,
    secrets,
    upstream,
    clock: wiring.clock ?? systemClock,
    log: wiring.log ?? jsonLog((line) => process.stderr.write(`${line}\n`)),
  };
  const engine = createEngine({
    gateways: wiring.gateways,
    ports,
    ...(wiring.tokenCacheSeconds !== undefined ? { tokenCacheSeconds: wiring.tokenCacheSeconds } : {}),
    unsafeAllowPrivate: wiring.unsafeAllowPrivate ?? [],
  });
  return {
    engine,
    ports,
    stores,
    async close() {
      await upstream.close();
      await stores.close();
    },
  };
}
