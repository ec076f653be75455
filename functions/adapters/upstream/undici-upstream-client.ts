import { EventEmitter } from "node:events";
import type { Dispatcher } from "undici";
import type { Body } from "../../ports/http-types.ts";
import { UpstreamError, type UpstreamClient, type UpstreamRequest, type UpstreamResponse } from "../../ports/upstream-client.ts";
import { bodilessResponse } from "./bodiless-response.ts";
import { GuardedPools } from "./ssrf/guarded-pools.ts";
import type { GuardOptions } from "./ssrf/create-guarded-connector.ts";
import { GATEHOUSE_SSRF_REFUSED, type SsrfRefusedError } from "./ssrf/ssrf-refused-error.ts";
import { errorMessage } from "../../../schema/error-message.ts";

const TIMEOUT = Symbol("upstream timeout");

/**
 * What undici is given as `signal`: undici accepts an EventEmitter with `aborted`/`reason`, and
 * one costs a fraction of an AbortController (whose EventTarget setup was ~3% of a loaded
 * gateway's CPU). Aborted by our timer or by the client's signal.
 */
class UpstreamAbort extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit("abort");
  }
}

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

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const clientSignal = request.signal;
    if (clientSignal?.aborted) throw new UpstreamError("aborted", "client went away before the upstream call");
    const abort = new UpstreamAbort();
    const onClientAbort = () => abort.abort(clientSignal?.reason);
    clientSignal?.addEventListener("abort", onClientAbort, { once: true });
    // Our own timer rather than undici's headersTimeout, which starts only after connecting:
    // the client gets its 504 at the endpoint's timeout, not later.
    const timer = setTimeout(() => abort.abort(TIMEOUT), request.timeoutMs);
    const tracked = request.body === null || request.body instanceof Uint8Array ? null : trackBody(request.body);
    try {
      const response = await this.poolsFor(request.allowPrivate)
        .poolFor(request.origin)
        .request({
          origin: request.origin,
          path: request.path,
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers,
          body: (tracked ? tracked.body : request.body) as Exclude<Dispatcher.DispatchOptions["body"], undefined>,
          signal: abort,
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
        });
      return bodilessResponse(response) ?? { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      throw classify(error, abort, tracked);
    } finally {
      clearTimeout(timer);
      clientSignal?.removeEventListener("abort", onClientAbort);
    }
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

/** The client's body as sent upstream, with what went on reading it. */
interface TrackedBody {
  body: Body;
  /** An error thrown while reading the client's body, so it is not mistaken for an upstream failure. */
  error: () => unknown;
  /** Whether undici is waiting for the client's next chunk right now (a stalled client, not a slow upstream). */
  waitingOnClient: () => boolean;
}

function trackBody(body: AsyncIterable<Uint8Array>): TrackedBody {
  let failure: unknown;
  let waiting = false;
  const source = body;
  return {
    body: (async function* tracked() {
      const iterator = source[Symbol.asyncIterator]();
      try {
        for (;;) {
          waiting = true;
          const step = await iterator.next();
          waiting = false;
          if (step.done) return;
          yield step.value;
        }
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        waiting = false;
        await iterator.return?.();
      }
    })(),
    error: () => failure,
    waitingOnClient: () => waiting,
  };
}

function classify(error: unknown, signal: UpstreamAbort, tracked: TrackedBody | null): UpstreamError {
  const bodyError = tracked?.error();
  if (bodyError !== undefined) return new UpstreamError("body", "reading the request body failed", { cause: bodyError });
  if (signal.aborted) {
    if (signal.reason === TIMEOUT && tracked?.waitingOnClient()) {
      return new UpstreamError("client_timeout", "the client did not send its declared body in time");
    }
    return signal.reason === TIMEOUT
      ? new UpstreamError("timeout", "the upstream did not answer in time")
      : new UpstreamError("aborted", "client went away during the upstream call");
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === GATEHOUSE_SSRF_REFUSED) {
    const refusal = error as SsrfRefusedError;
    return new UpstreamError("unreachable", refusal.message, { guard: { rule: refusal.rule, addresses: refusal.addresses }, cause: error });
  }
  if (code === "UND_ERR_HEADERS_TIMEOUT") return new UpstreamError("timeout", "the upstream did not answer in time");
  const message = errorMessage(error);
  return new UpstreamError("unreachable", `${typeof code === "string" ? `${code}: ` : ""}${message}`, { cause: error });
}
