import { checkUrl } from "../../functions/adapters/upstream/ssrf/check-url.ts";
import type { Lookup } from "../../functions/adapters/upstream/ssrf/lookup.ts";
import type { Gateway } from "../../schema/gateway.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import { loadDefinitionFile, type LoadedFile } from "../../loader/load-definition-file.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, parseCommandArgs } from "../command-args.ts";
import { definitionWarnings } from "../../schema/definition-warnings.ts";
import { printable } from "../printable.ts";
import { duplicateGateways } from "../duplicate-gateways.ts";
import { requireFiles } from "../require-files.ts";
import { staticLookup } from "../static-lookup.ts";

/** `gatehouse validate <file...> [--json]`: exit 0 all valid, 1 any invalid or one gateway defined twice, 2 usage or a missing file. */
export const command: Command = {
  summary: "Check gateway definition files and report every problem with its path.",
  usage:
    "gatehouse validate <file...> [--json] [--resolve [--resolve-host host:addr[,addr]]...]\n" +
    "  --resolve       also resolve every upstream host name and check the answers with the SSRF guard\n" +
    "  --resolve-host  answer for a host name instead of asking DNS (like curl --resolve)",
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      ...JSON_OPTION,
      resolve: { type: "boolean", default: false },
      "resolve-host": { type: "string", multiple: true, default: [] },
    });
    if (positionals.length === 0) throw new UsageError("name at least one definition file");
    if (values["resolve-host"].length && !values.resolve) throw new UsageError("--resolve-host goes with --resolve");
    const lookup = values.resolve ? staticLookup(values["resolve-host"], "--resolve-host") : null;
    await requireFiles(positionals, io.cwd);
    const results: LoadedFile[] = [];
    for (const file of positionals) results.push(await loadDefinitionFile(file, io.cwd));
    const conflicts = duplicateGateways(results.flatMap((r) => (r.ok ? [{ file: r.file, gateways: r.gateways }] : [])));
    const resolutions = new Map<Gateway, Resolution[]>();
    if (lookup) {
      for (const result of results) if (result.ok) for (const g of result.gateways) resolutions.set(g, await resolveUpstreams(g, lookup));
    }
    if (values.json) io.out(JSON.stringify({ files: results.map((r) => toJson(r, resolutions)), conflicts }, null, 2));
    else {
      for (const result of results) printResult(result, resolutions, io);
      for (const conflict of conflicts) io.out(`✗ ${conflict}`);
    }
    const refused = [...resolutions.values()].some((list) => list.some((r) => !r.allowed));
    return results.every((r) => r.ok) && !refused && conflicts.length === 0 ? EXIT.ok : EXIT.failed;
  },
};

/** What `--resolve` found for one endpoint's upstream. */
type Resolution =
  | { endpoint: string; host: string; allowed: true; addresses: string[] }
  | { endpoint: string; host: string; allowed: false; rule: string; reason: string };

/** Resolves each endpoint's upstream now, through the same checks the guard makes per connection. */
async function resolveUpstreams(gateway: Gateway, lookup: Lookup): Promise<Resolution[]> {
  const out: Resolution[] = [];
  for (const e of Object.values(gateway.endpoints)) {
    const host = new URL(e.upstream).hostname;
    const r = await checkUrl(e.upstream, { lookup, allow: e.unsafeAllowPrivateNetworks });
    out.push(
      r.allowed
        ? { endpoint: e.slug, host, allowed: true, addresses: r.addresses.map((a) => a.address) }
        : { endpoint: e.slug, host, allowed: false, rule: r.rule, reason: r.reason },
    );
  }
  return out;
}

function toJson(result: LoadedFile, resolutions: Map<Gateway, Resolution[]>) {
  if (!result.ok) return { file: result.file, ok: false, issues: result.issues };
  return {
    file: result.file,
    ok: true,
    warnings: result.gateways.flatMap(definitionWarnings),
    gateways: result.gateways.map((g) => ({ ...summary(g), ...(resolutions.has(g) ? { resolution: resolutions.get(g) } : {}) })),
  };
}

/** What `validate` tells about a valid gateway: never a secret value, only names. */
export function summary(gateway: Gateway) {
  return {
    name: gateway.name,
    id: gateway.id,
    revision: gateway.revision,
    endpoints: Object.keys(gateway.endpoints),
    connections: Object.keys(gateway.connections),
    allowances: Object.values(gateway.endpoints).flatMap((e) => e.unsafeAllowPrivateNetworks.map((cidr) => ({ endpoint: e.slug, cidr }))),
  };
}

function printResult(result: LoadedFile, resolutions: Map<Gateway, Resolution[]>, io: CliIo): void {
  if (!result.ok) {
    // Paths and messages quote the definition's own keys (an invalid slug may hold any bytes).
    io.out(`✗ ${printable(result.file)}: ${result.issues.length} problem${result.issues.length === 1 ? "" : "s"}`);
    for (const issue of result.issues) io.out(`  ${printable(result.file)}: ${printable(issue.path || "(file)")}: ${printable(issue.message)}`);
    return;
  }
  for (const gateway of result.gateways) {
    const s = summary(gateway);
    io.out(
      `✓ ${result.file}: gateway '${s.name}' (id ${s.id}, revision ${s.revision}): ` +
        `${s.endpoints.length} endpoint${s.endpoints.length === 1 ? "" : "s"} [${s.endpoints.join(", ")}]` +
        (s.connections.length ? `, connections [${s.connections.join(", ")}]` : ""),
    );
    for (const w of definitionWarnings(gateway)) io.out(`  ! ${w.path}: ${w.message}`);
    for (const a of s.allowances) {
      io.out(`  ! endpoint '${a.endpoint}' may reach private network ${a.cidr} (unsafeAllowPrivateNetworks)`);
    }
    for (const r of resolutions.get(gateway) ?? []) {
      io.out(
        r.allowed
          ? `  resolved ${r.endpoint}: ${r.host} -> ${r.addresses.join(", ")}`
          : `  ✗ ${result.file}: endpoints.${r.endpoint}.upstream: ${r.host} is refused when resolved: ${r.reason} (SSRF rule ${r.rule})`,
      );
    }
  }
}
