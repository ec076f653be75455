import { parseArgs } from "node:util";
import type { Gateway } from "../../schema/gateway.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import { loadDefinitionFile, type LoadedFile } from "../load-definitions.ts";
import type { Command } from "../main.ts";

/** `gatehouse validate <file...> [--json]`: exit 0 all valid, 1 any invalid, 2 usage. */
export const command: Command = {
  summary: "Check gateway definition files and report every problem with its path.",
  usage: "gatehouse validate <file...> [--json]",
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: { json: { type: "boolean", default: false } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0) throw new UsageError("name at least one definition file");
    const results: LoadedFile[] = [];
    for (const file of positionals) results.push(await loadDefinitionFile(file, io.cwd));
    if (values.json) io.out(JSON.stringify({ files: results.map(toJson) }, null, 2));
    else for (const result of results) printResult(result, io);
    return results.every((r) => r.ok) ? EXIT.ok : EXIT.failed;
  },
};

function toJson(result: LoadedFile) {
  if (!result.ok) return { file: result.file, ok: false, issues: result.issues };
  return { file: result.file, ok: true, gateways: result.gateways.map(summary) };
}

/** What `validate` tells about a valid gateway: never a secret value, only names. */
export function summary(gateway: Gateway) {
  return {
    name: gateway.name,
    id: gateway.id,
    revision: gateway.revision,
    endpoints: Object.keys(gateway.endpoints),
    connections: Object.keys(gateway.connections),
    allowances: Object.values(gateway.endpoints).flatMap((e) =>
      e.unsafeAllowPrivateNetworks.map((cidr) => ({ endpoint: e.slug, cidr })),
    ),
  };
}

function printResult(result: LoadedFile, io: CliIo): void {
  if (!result.ok) {
    io.out(`✗ ${result.file}: ${result.issues.length} problem${result.issues.length === 1 ? "" : "s"}`);
    for (const issue of result.issues) io.out(`  ${result.file}: ${issue.path || "(file)"}: ${issue.message}`);
    return;
  }
  for (const gateway of result.gateways) {
    const s = summary(gateway);
    io.out(
      `✓ ${result.file}: gateway '${s.name}' (id ${s.id}, revision ${s.revision}): ` +
        `${s.endpoints.length} endpoint${s.endpoints.length === 1 ? "" : "s"} [${s.endpoints.join(", ")}]` +
        (s.connections.length ? `, connections [${s.connections.join(", ")}]` : ""),
    );
    for (const a of s.allowances) {
      io.out(`  ! endpoint '${a.endpoint}' may reach private network ${a.cidr} (unsafeAllowPrivateNetworks)`);
    }
  }
}
