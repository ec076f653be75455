import type { Lookup, LookupAddress } from "../../../functions/adapters/upstream/ssrf/index.ts";

/** A lookup that answers from a table and records every name asked. Never touches the network. */
export interface FakeDns {
  lookup: Lookup;
  /** Every name passed to `lookup`, in order. */
  asked: string[];
}

const notFound = (hostname: string): Error => Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });

const toAnswers = (addresses: readonly string[]): LookupAddress[] => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

/**
 * Answers each name from `first` on its first lookup and from `later` (when given) on every
 * later lookup, like a rebinding attacker's DNS server. Unknown names reject with ENOTFOUND.
 * Keys are bare lower-case names without a trailing dot.
 */
export function fakeDns(first: Record<string, readonly string[]>, later: Record<string, readonly string[]> = {}): FakeDns {
  const asked: string[] = [];
  const seen = new Set<string>();
  const lookup: Lookup = async (hostname) => {
    asked.push(hostname);
    const key = hostname.toLowerCase().replace(/\.$/, "");
    const again = seen.has(key);
    seen.add(key);
    const answer = again && key in later ? later[key] : first[key];
    if (!answer) throw notFound(hostname);
    return toAnswers(answer);
  };
  return { lookup, asked };
}
