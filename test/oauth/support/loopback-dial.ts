import { connect } from "node:net";
import type { Dialer } from "../../../functions/adapters/upstream/ssrf/dialer.ts";
import type { Lookup } from "../../../functions/adapters/upstream/ssrf/lookup.ts";

/** What the guard asked the dialer to open. */
export interface DialRecord {
  address: string;
  port: string;
  protocol: string;
  servername: string | undefined;
}

/**
 * A resolver that answers fixed addresses for fixed names (and ENOTFOUND for the rest), and a
 * dialer that records what the SSRF guard decided to open, then connects plain TCP to a loopback
 * stand-in instead: an `https://github.example.com` URL is checked and dialled as GitHub's would
 * be, and answered by a local server. No query and no socket leaves 127.0.0.1.
 */
export function loopbackNetwork(answers: Record<string, string>, standInPort: number): { lookup: Lookup; dial: Dialer; asked: string[]; dialed: DialRecord[] } {
  const asked: string[] = [];
  const dialed: DialRecord[] = [];
  const lookup: Lookup = async (hostname) => {
    asked.push(hostname);
    const address = answers[hostname];
    if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return [{ address, family: address.includes(":") ? 6 : 4 }];
  };
  const dial: Dialer = (options, callback) => {
    dialed.push({
      address: options.hostname,
      port: String(options.port ?? ""),
      protocol: String(options.protocol),
      servername: options.servername ?? undefined,
    });
    const socket = connect({ host: "127.0.0.1", port: standInPort });
    socket.once("connect", () => callback(null, socket));
    socket.once("error", (error) => callback(error, null));
  };
  return { lookup, dial, asked, dialed };
}
