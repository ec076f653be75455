import { checkHost } from "../../functions/adapters/upstream/ssrf/check-host.ts";
import { createDnsCache } from "../../functions/adapters/upstream/ssrf/create-dns-cache.ts";
import type { LookupAddress } from "../../functions/adapters/upstream/ssrf/lookup.ts";
import { compileAllowList } from "../../schema/ssrf/index.ts";
import type { MicroCase } from "./measure.ts";

const NAME = "api.example.com";

/**
 * The SSRF guard's per-connection check on its hot path: a name answered from the DNS cache
 * (an injected resolver, so nothing leaves the machine) and classified, against an awaited
 * no-op as the baseline. The guard runs once per new upstream socket, not per request.
 */
export async function ssrfCases(): Promise<{ cases: MicroCase[]; notes: string[] }> {
  const answer: LookupAddress[] = [{ address: "127.0.0.1", family: 4 }];
  const cache = createDnsCache({ lookup: async () => answer, maxTtlMs: 3_600_000 });
  await cache.lookup(NAME); // warm: every timed lookup is a hit
  const allow = compileAllowList(["127.0.0.1/32"]);
  const context = { lookup: cache.lookup, allow, timeoutMs: 5000 };
  const refused = compileAllowList([]);
  const decided = await checkHost(NAME, context);
  if (!decided.allowed) throw new Error(`bench setup: ${NAME} was refused (${decided.rule})`);
  return {
    cases: [
      { name: "baseline: awaited no-op", run: async () => undefined },
      { name: "cached DNS lookup only", run: () => cache.lookup(NAME) },
      { name: "checkHost(name), cached DNS, allowed", run: () => checkHost(NAME, context) },
      { name: "checkHost(name), cached DNS, refused", run: () => checkHost(NAME, { ...context, allow: refused }) },
      { name: "checkHost(IP literal 127.0.0.1)", run: () => checkHost("127.0.0.1", context) },
    ],
    notes: [
      "one check per new upstream connection; with keep-alive pooling a load run opens a handful, so this is not a per-request cost",
      "checkHost(name) includes resolveHost's timeout race (a timer set and cleared per check)",
    ],
  };
}
