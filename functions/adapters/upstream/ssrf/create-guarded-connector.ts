import { buildConnector } from "../undici-parts.ts";
import { compileAllowList, normalizeIpLiteral, SSRF_CODES } from "../../../../schema/ssrf/index.ts";
import { checkHost } from "./check-host.ts";
import { createDnsCache } from "./create-dns-cache.ts";
import type { Lookup, LookupAddress } from "./lookup.ts";
import { SsrfRefusedError } from "./ssrf-refused-error.ts";
import { systemLookup } from "./system-lookup.ts";
import { verifyPeerDialer } from "./verify-peer-dialer.ts";
import type { ConnectCallback, ConnectOptions, Connector, Dialer } from "./dialer.ts";

/** Options for `createGuardedConnector` and `createGuardedAgent`. */
export interface GuardOptions {
  /** Resolver. Default: the system resolver behind a bounded 30 s DNS cache. A given lookup is used as is. */
  lookup?: Lookup;
  /** The endpoint's `unsafeAllowPrivateNetworks` CIDRs; cloud metadata stays refused. */
  allow?: readonly string[];
  /** Opens the socket; tests pass a recording dialer. Default: undici's `buildConnector()`. */
  dial?: Dialer;
  /** Called with every refusal before it fails the connection (for audit and logs). */
  onRefusal?: (error: SsrfRefusedError) => void;
  /** DNS timeout in milliseconds; default 5000. */
  dnsTimeoutMs?: number;
  /** Connect timeout of the default dialer in milliseconds; default 10000 (undici's). */
  connectTimeoutMs?: number;
}

/**
 * An undici connector that makes "the address checked is the address connected" true. For
 * every new socket (undici calls the connector per connection, so pooled keep-alive
 * connections are re-checked whenever a new one opens): resolve the name once, refuse the
 * whole answer if any address is blocked, then dial one checked IP with `hostname`/`host` set
 * to that IP and `servername` set to the original name, so TLS SNI and certificate
 * verification stay on the name and net/tls never run a lookup of their own. If a checked
 * address fails to connect, the next checked one is tried. Refusals reach undici as a
 * `SsrfRefusedError` (code `GATEHOUSE_SSRF_REFUSED`). Unix sockets are refused.
 */
export function createGuardedConnector(options: GuardOptions = {}): Connector {
  const allow = compileAllowList(options.allow);
  const lookup = options.lookup ?? createDnsCache({ lookup: systemLookup }).lookup;
  const dial = options.dial ?? verifyPeerDialer(buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 }));
  const timeoutMs = options.dnsTimeoutMs ?? 5000;

  const refuse = (error: SsrfRefusedError, callback: ConnectCallback): void => {
    try {
      options.onRefusal?.(error);
    } finally {
      callback(error, null);
    }
  };

  return function guardedConnect(connectOptions, callback) {
    const hostname = connectOptions.hostname;
    const socketPath = (connectOptions as { socketPath?: unknown }).socketPath;
    if (socketPath != null) {
      const reason = "a unix socket has no address to check";
      refuse(new SsrfRefusedError({ guardCode: SSRF_CODES.scheme, rule: "transport:unix-socket", reason, hostname, addresses: [] }), callback);
      return;
    }
    if (connectOptions.protocol !== "http:" && connectOptions.protocol !== "https:") {
      const reason = `the scheme ${connectOptions.protocol} is not http: or https:`;
      refuse(new SsrfRefusedError({ guardCode: SSRF_CODES.scheme, rule: "scheme:not-http(s)", reason, hostname, addresses: [] }), callback);
      return;
    }
    checkHost(hostname, { lookup, allow, timeoutMs }).then(
      (decision) => {
        if (!decision.allowed) {
          const { code, rule, reason, answers } = decision;
          refuse(new SsrfRefusedError({ guardCode: code, rule, reason, hostname, addresses: answers ?? [] }), callback);
          return;
        }
        dialInOrder(dial, connectOptions, decision.addresses, callback);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
}

/** Dials the checked addresses in answer order until one connects. */
function dialInOrder(dial: Dialer, base: ConnectOptions, addresses: LookupAddress[], callback: ConnectCallback): void {
  const name = normalizeIpLiteral(base.hostname) === null ? base.hostname.replace(/\.$/, "") : null;
  const attempt = (index: number): void => {
    const { address, family } = addresses[index]!;
    const hostField = family === 6 ? `[${address}]` : address;
    const options: ConnectOptions = {
      ...base,
      hostname: address,
      host: base.port ? `${hostField}:${base.port}` : hostField,
    };
    const servername = base.servername || name;
    if (servername) options.servername = servername;
    else delete options.servername;
    const done: ConnectCallback = (error, socket) => {
      if (error && index + 1 < addresses.length && (error as { code?: unknown }).code !== "UND_ERR_CONNECT_TIMEOUT") {
        attempt(index + 1);
        return;
      }
      if (error) callback(error, null);
      else callback(null, socket!);
    };
    try {
      dial(options, done);
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), null);
    }
  };
  attempt(0);
}
