import { Pool } from "../undici-parts.ts";
import { skipUnsolicitedContinue } from "../skip-unsolicited-continue.ts";
import type { GuardedAgentOptions } from "./create-guarded-agent.ts";
import { createGuardedConnector } from "./create-guarded-connector.ts";
import type { Connector } from "./dialer.ts";

/**
 * The upstream dispatchers of one private-network allowance: one undici `Pool` per origin, each
 * new socket of every pool through the same guarded connector (as `createGuardedAgent`'s pools).
 * The upstream client asks its pool directly: an `Agent` looks the origin's pool up and passes
 * through a second dispatch layer on every request. Origins come from the definitions, so the
 * pools are few and kept until `close()`.
 */
export class GuardedPools {
  private readonly pools = new Map<string, Pool>();
  private readonly connect: Connector;

  constructor(private readonly options: GuardedAgentOptions = {}) {
    this.connect = skipUnsolicitedContinue(createGuardedConnector(options));
  }

  /** The pool of `origin` (`https://host[:port]`), made on first use. */
  poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connect: this.connect,
        keepAliveTimeout: this.options.keepAliveTimeoutMs ?? 4000,
        ...(this.options.connections !== undefined ? { connections: this.options.connections } : {}),
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** Closes every pool's connections. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
