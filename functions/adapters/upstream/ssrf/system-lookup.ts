import { promises as dns } from "node:dns";
import type { LookupAddress } from "./lookup.ts";

/**
 * The system resolver (getaddrinfo, so /etc/hosts and search domains apply), asking for every
 * address in the resolver's own order. getaddrinfo reports no TTL, so the DNS cache falls back
 * to its fixed short lifetime for these answers.
 */
export async function systemLookup(hostname: string): Promise<LookupAddress[]> {
  const answers = await dns.lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family }));
}
