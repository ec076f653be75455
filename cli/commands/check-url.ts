import { checkUrl, validateAllowance, type CheckUrlResult } from "../../functions/adapters/upstream/ssrf/index.ts";
import { EXIT, UsageError } from "../io.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, parseCommandArgs } from "../command-args.ts";
import { staticLookup } from "../static-lookup.ts";

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
    const lookup = staticLookup(values.resolve ?? [], "--resolve");
    const results: Array<{ url: string } & CheckUrlResult> = [];
    for (const url of positionals) results.push({ url, ...(await checkUrl(url, { lookup, allow })) });
    if (values.json) io.out(JSON.stringify({ results }, null, 2));
    else for (const result of results) io.out(describe(result));
    return results.every((result) => result.allowed) ? EXIT.ok : EXIT.failed;
  },
};

// node:util's own errors (unknown option, missing value) reach `main`, which words them: exit 2.
function parseOptions(args: string[]) {
  return parseCommandArgs(args, {
    resolve: { type: "string", multiple: true },
    "unsafe-allow-private-network": { type: "string", multiple: true },
    ...JSON_OPTION,
  });
}

function describe(result: { url: string } & CheckUrlResult): string {
  if (result.allowed) {
    const addresses = result.addresses.map((entry) => entry.address).join(", ");
    const opened = result.allowedBy ? ` [opened by unsafe allowance ${result.allowedBy}]` : "";
    return `allowed  ${result.url} -> ${addresses}${opened}`;
  }
  return `refused  ${result.url}\n         ${result.rule} (${result.code}): ${result.reason}`;
}
