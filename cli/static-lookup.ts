import type { Lookup, LookupAddress } from "../functions/adapters/upstream/ssrf/lookup.ts";
import { systemLookup } from "../functions/adapters/upstream/ssrf/system-lookup.ts";
import { UsageError } from "./io.ts";

/**
 * A lookup answering from `host:addr[,addr]` entries (an empty list after the colon simulates an
 * empty answer), falling back to the system resolver for other names, like curl's `--resolve`.
 * The addresses are passed on as written so odd answers (`127.1`) can be tried. `flag` names
 * the option in usage errors.
 */
export function staticLookup(entries: string[], flag: string): Lookup {
  const table = new Map<string, LookupAddress[]>();
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    const host = colon === -1 ? "" : entry.slice(0, colon).trim().toLowerCase().replace(/\.$/, "");
    if (!host) throw new UsageError(`${flag} '${entry}' must look like host:addr[,addr]`);
    const addresses = entry
      .slice(colon + 1)
      .split(",")
      .map((address) => address.trim().replace(/^\[(.*)\]$/, "$1"))
      .filter((address) => address !== "");
    const answers = addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    table.set(host, [...(table.get(host) ?? []), ...answers]);
  }
  return async (hostname) => {
    const answers = table.get(hostname.toLowerCase().replace(/\.$/, ""));
    return answers ? answers.map((answer) => ({ ...answer })) : systemLookup(hostname);
  };
}
