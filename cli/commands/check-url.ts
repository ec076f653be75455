import { parseArgs } from "node:util";
import {
  checkUrl,
  systemLookup,
  validateAllowance,
  type CheckUrlResult,
  type Lookup,
  type LookupAddress,
} from "../../functions/adapters/upstream/ssrf/index.ts";
import { EXIT, UsageError } from "../io.ts";
import type { Command } from "../main.ts";

/** `gatehouse check-url`: would the SSRF guard let an upstream reach these URLs, and which rule decides. */
export const command: Command = {
  summary: "Tell whether upstream URLs would be refused by the SSRF guard, and which rule decided",
  usage:
    "gatehouse check-url <url...> [--resolve host:addr[,addr]]... [--unsafe-allow-private-network <cidr>]... [--json]\n" +
    "  --resolve   answer for a host name instead of asking DNS (like curl --resolve; other names use the system resolver)\n" +
    "  --unsafe-allow-private-network   check as an endpoint with this unsafeAllowPrivateNetworks entry would be\n" +
    "  exit 0: all allowed; 1: any refused; 2: usage",
  async run(args, io) {
    const { values, positionals } = parseOptions(args);
    if (positionals.length === 0) throw new UsageError("give at least one URL");
    const allow = values["unsafe-allow-private-network"] ?? [];
    for (const entry of allow) {
      const problem = validateAllowance(entry);
      if (problem) throw new UsageError(problem);
    }
    const lookup = staticLookup(values.resolve ?? []);
    const results: Array<{ url: string } & CheckUrlResult> = [];
    for (const url of positionals) results.push({ url, ...(await checkUrl(url, { lookup, allow })) });
    if (values.json) io.out(JSON.stringify({ results }, null, 2));
    else for (const result of results) io.out(describe(result));
    return results.every((result) => result.allowed) ? EXIT.ok : EXIT.failed;
  },
};

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        resolve: { type: "string", multiple: true },
        "unsafe-allow-private-network": { type: "string", multiple: true },
        json: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * A lookup answering from `--resolve host:addr[,addr]` entries (an empty list after the colon
 * simulates an empty answer), falling back to the system resolver for other names. The
 * addresses are passed on as written so odd answers (`127.1`) can be tried.
 */
function staticLookup(entries: string[]): Lookup {
  const table = new Map<string, LookupAddress[]>();
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    const host = colon === -1 ? "" : entry.slice(0, colon).trim().toLowerCase().replace(/\.$/, "");
    if (!host) throw new UsageError(`--resolve '${entry}' must look like host:addr[,addr]`);
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

function describe(result: { url: string } & CheckUrlResult): string {
  if (result.allowed) {
    const addresses = result.addresses.map((entry) => entry.address).join(", ");
    const opened = result.allowedBy ? ` [opened by unsafe allowance ${result.allowedBy}]` : "";
    return `allowed  ${result.url} -> ${addresses}${opened}`;
  }
  return `refused  ${result.url}\n         ${result.rule} (${result.code}): ${result.reason}`;
}
