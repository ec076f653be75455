import { parseArgs } from "node:util";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import type { Command } from "../main.ts";

/**
 * `gatehouse plan <file...> [--json] [--region r] [--stack s]`: what `pulumi up` would create,
 * with no Pulumi CLI and no cloud (the program under Pulumi mocks). Exit 0 planned, 1 invalid
 * definitions, 2 usage. Runs Pulumi in-process, so one plan per process.
 */
export const command: Command = {
  summary: "Show the AWS resources and key settings `pulumi up` would create for definition files (Pulumi mocks; secrets masked).",
  usage: "gatehouse plan <file...> [--json] [--region <region>] [--stack <name>]",
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: { json: { type: "boolean", default: false }, region: { type: "string", default: "eu-west-1" }, stack: { type: "string", default: "plan" } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0) throw new UsageError("name at least one definition file");
    const { loadGatewayFiles } = await import("../../infra/load-gateway-folder.ts");
    const gateways = await loadGatewayFiles(positionals, io.cwd);
    // Loaded only now: the Pulumi runtime and esbuild are heavy, and a bad file needs neither.
    const pulumi = await import("@pulumi/pulumi");
    const { deployGateways } = await import("../../infra/deploy-gateways.ts");
    const { runUnderMocks } = await import("../../infra/run-under-mocks.ts");
    const run = await runUnderMocks(
      // Real secret values are never needed to plan: a placeholder marked secret takes their place.
      () => ({ gateways: deployGateways(gateways, { secret: () => pulumi.secret("plan-placeholder") }).outputs }),
      { region: values.region, stack: values.stack },
    );
    const resources = run.resources.filter((r) => r.custom);
    if (values.json) {
      io.out(JSON.stringify({ resources: resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })), outputs: run.outputs }, null, 2));
      return EXIT.ok;
    }
    io.out(`Plan for stack '${values.stack}' in ${values.region} (Pulumi mocks: nothing is deployed; ARNs and URLs are placeholders)`);
    for (const gateway of gateways) {
      const out = run.outputs.gateways[gateway.name]!;
      const mine = resources.filter((r) => r.name.startsWith(`${gateway.name}-`));
      io.out(`\ngateway '${gateway.name}' (id ${gateway.id}, revision ${gateway.revision}): ${mine.length} resources`);
      const width = Math.max(...mine.map((r) => shortType(r.type).length));
      for (const r of mine) io.out(`  + ${shortType(r.type).padEnd(width)}  ${r.name}${describe(r.type, r.inputs) ? `  ${describe(r.type, r.inputs)}` : ""}`);
      io.out("  endpoints:");
      for (const [slug, url] of Object.entries(out.endpoints)) {
        const e = gateway.endpoints[slug]!;
        io.out(`    ${slug}: ${url}  (timeout ${e.timeoutSeconds} s${url.startsWith(out.baseUrl) ? "" : ", streaming Function URL"})`);
      }
    }
    io.out(`\n${resources.length} resources in total. Secrets are shown as [secret]; deploy with pulumi up.`);
    return EXIT.ok;
  },
};

function shortType(type: string): string {
  // aws:dynamodb/table:Table -> dynamodb.Table
  const m = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type);
  return m ? `${m[1]}.${m[2]}` : type;
}

type Inputs = Record<string, unknown>;
const get = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Inputs)[k] : undefined), value);

/** The settings worth reading in a plan, per resource type. */
export function describe(type: string, inputs: Inputs): string {
  switch (type) {
    case "aws:kms/key:Key":
      return `rotation ${inputs.enableKeyRotation ? "on" : "OFF"}`;
    case "aws:kms/alias:Alias":
      return String(inputs.name);
    case "aws:kms/ciphertext:Ciphertext":
      return `plaintext ${String(inputs.plaintext)}, context ${JSON.stringify(inputs.context)}`;
    case "aws:dynamodb/table:Table":
      return [
        `hash ${String(inputs.hashKey)}${inputs.rangeKey ? `, range ${String(inputs.rangeKey)}` : ""}`,
        `PITR ${get(inputs, "pointInTimeRecovery", "enabled") ? "on" : "OFF"}`,
        `SSE ${get(inputs, "serverSideEncryption", "kmsKeyArn") ? "customer key" : "AWS key"}`,
        `TTL ${get(inputs, "ttl", "enabled") ? String(get(inputs, "ttl", "attributeName")) : "off"}`,
        `deletion protection ${inputs.deletionProtectionEnabled ? "on" : "OFF"}`,
      ].join(", ");
    case "aws:lambda/function:Function": {
      const env = (get(inputs, "environment", "variables") ?? {}) as Inputs;
      return `${String(inputs.runtime)} ${(inputs.architectures as string[] | undefined)?.join(",")}, ${String(inputs.memorySize)} MB, timeout ${String(inputs.timeout)} s, handler ${String(inputs.handler)}, env ${Object.keys(env).sort().join(" ")}`;
    }
    case "aws:lambda/functionUrl:FunctionUrl":
      return `${String(inputs.invokeMode)}, auth ${String(inputs.authorizationType)}`;
    case "aws:lambda/permission:Permission":
      return `${String(inputs.action)} for ${String(inputs.principal)}${inputs.sourceArn ? ` from ${String(inputs.sourceArn)}` : ""}`;
    case "aws:apigatewayv2/integration:Integration":
      return `payload ${String(inputs.payloadFormatVersion)}, timeout ${String(inputs.timeoutMilliseconds)} ms`;
    case "aws:apigatewayv2/route:Route":
      return String(inputs.routeKey);
    case "aws:apigatewayv2/stage:Stage":
      return `${String(inputs.name)}, throttle ${String(get(inputs, "defaultRouteSettings", "throttlingRateLimit"))}/s burst ${String(get(inputs, "defaultRouteSettings", "throttlingBurstLimit"))}, access logs JSON`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `${String(inputs.name)}, ${String(inputs.retentionInDays)} days`;
    case "aws:iam/rolePolicy:RolePolicy": {
      const doc = JSON.parse(String(inputs.policy)) as { Statement: Array<{ Sid: string }> };
      return `statements ${doc.Statement.map((s) => s.Sid).join(", ")}`;
    }
    default:
      return "";
  }
}
