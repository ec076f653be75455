import type { Dispatcher } from "undici";
import { UpstreamError, type UpstreamClient, type UpstreamRequest, type UpstreamResponse } from "../../ports/upstream-client.ts";
import { GuardedPools } from "./ssrf/guarded-pools.ts";
import type { GuardOptions } from "./ssrf/create-guarded-connector.ts";
import { classifyUpstreamError } from "./classify-upstream-error.ts";
import { trackBody } from "./track-body.ts";
import { UpstreamExchange } from "./upstream-exchange.ts";

/** Options of the upstream client; `guard` passes through to every guarded pool (tests inject lookup and dial). */
export interface UndiciUpstreamOptions {
  guard?: Omit<GuardOptions, "allow">;
  /** Idle keep-alive lifetime of pooled sockets. @default 4000 */
  keepAliveTimeoutMs?: number;
}

/**
 * The UpstreamClient over undici: pooled keep-alive connections per origin, every new socket
 * through the SSRF guard, redirects returned rather than followed, bodies streamed both ways.
 * One set of guarded pools (one undici Pool per origin) per distinct private-network allowance,
 * so an allowance given to one endpoint never opens a connection for another.
 */
export class UndiciUpstreamClient implements UpstreamClient {
  private readonly groups = new Map<string, GuardedPools>();
  /** The pools per allowance array, so the sorted key is computed once per array, not per request. */
  private groupByArray = new WeakMap<readonly string[], GuardedPools>();

  constructor(private readonly options: UndiciUpstreamOptions = {}) {}

  send(request: UpstreamRequest): Promise<UpstreamResponse> {
    if (request.signal?.aborted) return Promise.reject(new UpstreamError("aborted", "client went away before the upstream call"));
    const tracked = request.body === null || request.body instanceof Uint8Array ? null : trackBody(request.body);
    let pool: Dispatcher;
    try {
      pool = this.poolsFor(request.allowPrivate).poolFor(request.origin);
    } catch (error) {
      return Promise.reject(classifyUpstreamError(error, undefined, tracked));
    }
    const exchange = new UpstreamExchange(request.timeoutMs, request.signal, tracked);
    // From here undici reports everything (an invalid header, a closed pool, the answer) to the exchange.
    pool.dispatch(
      {
        origin: request.origin,
        path: request.path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: (tracked ? tracked.body : request.body) as Exclude<Dispatcher.DispatchOptions["body"], undefined>,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      },
      exchange,
    );
    return exchange.head;
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    const groups = [...this.groups.values()];
    this.groups.clear();
    this.groupByArray = new WeakMap();
    await Promise.all(groups.map((group) => group.close()));
  }

  private poolsFor(allow: readonly string[]): GuardedPools {
    const known = this.groupByArray.get(allow);
    if (known) return known;
    const key = [...allow].sort().join(",");
    let group = this.groups.get(key);
    if (!group) {
      group = new GuardedPools({ ...this.options.guard, allow, keepAliveTimeoutMs: this.options.keepAliveTimeoutMs ?? 4000 });
      this.groups.set(key, group);
    }
    // Arrays are not mutated after the definition is parsed (the engine reuses one per endpoint).
    this.groupByArray.set(allow, group);
    return group;
  }
}
