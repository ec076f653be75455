import type { Gateway } from "../../schema/gateway.ts";
import { duplicateGateways, type FileGateways } from "../duplicate-gateways.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import type { Command } from "../command.ts";
import { describeInjectValue } from "../describe-inject.ts";
import { JSON_OPTION, parseCommandArgs } from "../command-args.ts";
import { describeResource } from "../describe-resource.ts";
import { loadDefinitionFile } from "../../loader/load-definition-file.ts";
import { requireFiles } from "../require-files.ts";

/**
 * `gatehouse plan <file...> [--json] [--region r] [--stack s] [--front-door d]`: what `pulumi up`
 * would create, with no Pulumi CLI and no cloud (the program under Pulumi mocks); `--front-door`
 * plans with the Gateway option of that name (the stack config key `frontDoor`). Exit 0 planned, 1 invalid
 * definitions, 2 usage. Runs Pulumi in-process, so one plan per process.
 */
export const command: Command = {
  summary: "Show the AWS resources and key settings `pulumi up` would create for definition files (Pulumi mocks; secrets masked).",
  usage: "gatehouse plan <file...> [--json] [--region <region>] [--stack <name>] [--front-door api-gateway|function-url]",
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      ...JSON_OPTION,
      region: { type: "string", default: "eu-west-1" },
      stack: { type: "string", default: "plan" },
      "front-door": { type: "string", default: "api-gateway" },
    });
    if (positionals.length === 0) throw new UsageError("name at least one definition file");
    const frontDoor = values["front-door"];
    if (frontDoor !== "api-gateway" && frontDoor !== "function-url")
      throw new UsageError(`--front-door must be api-gateway or function-url, not '${frontDoor}'`);
    await requireFiles(positionals, io.cwd);
    const gateways: Gateway[] = [];
    const problems: string[] = [];
    const loaded: FileGateways[] = [];
    for (const file of positionals) {
      const result = await loadDefinitionFile(file, io.cwd);
      if (result.ok) {
        loaded.push({ file, gateways: result.gateways });
        gateways.push(...result.gateways);
      } else problems.push(...result.issues.map((i) => `${file}: ${i.path || "(file)"}: ${i.message}`));
    }
    problems.push(...duplicateGateways(loaded));
    if (problems.length) {
      io.err(`gatehouse plan: nothing planned; fix these first (gatehouse validate shows the same):`);
      for (const problem of problems) io.err(`  ${problem}`);
      return EXIT.failed;
    }
    // Loaded only now: the Pulumi runtime and esbuild are heavy, and a bad file needs neither.
    const pulumi = await import("@pulumi/pulumi");
    const { deployGateways } = await import("../../infra/deploy-gateways.ts");
    const { runUnderMocks } = await import("../../infra/run-under-mocks.ts");
    const run = await runUnderMocks(
      // Real secret values are never needed to plan: a placeholder marked secret takes their place.
      () => ({ gateways: deployGateways(gateways, { secret: () => pulumi.secret("plan-placeholder"), options: { frontDoor } }).outputs }),
      { region: values.region, stack: values.stack },
    );
    const resources = run.resources.filter((r) => r.custom);
    const { functionEnvironmentSizes } = await import("../../infra/function-environments.ts");
    const environments = functionEnvironmentSizes(resources);
    const tooLarge = environments.filter((e) => !e.ok);
    for (const e of tooLarge) {
      io.err(
        `gatehouse plan: function ${e.function}: its environment is ${e.bytes} bytes, over Lambda's ${e.limit}-byte limit; pulumi up would fail at CreateFunction`,
      );
    }
    const status = tooLarge.length ? EXIT.failed : EXIT.ok;
    const { stageThrottles } = await import("../../infra/stage-throttle.ts");
    const { apiDoorUpstreamMaxSeconds, storeBudgetMs } = await import("../../functions/contracts/lambda-time-budget.ts");
    const throttles = stageThrottles(resources);
    const budget = { storeBudgetMs: storeBudgetMs(), apiDoorUpstreamMaxSeconds: apiDoorUpstreamMaxSeconds() };
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            resources: resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })),
            functionEnvironments: environments,
            stageThrottles: throttles,
            timeBudget: budget,
            outputs: run.outputs,
          },
          null,
          2,
        ),
      );
      return status;
    }
    io.out(`Plan for stack '${values.stack}' in ${values.region} (Pulumi mocks: nothing is deployed; ARNs and URLs are placeholders)`);
    for (const gateway of gateways) {
      const out = run.outputs.gateways[gateway.name]!;
      const mine = resources.filter((r) => r.name.startsWith(`${gateway.name}-`));
      io.out(`\ngateway '${gateway.name}' (id ${gateway.id}, revision ${gateway.revision}): ${mine.length} resources`);
      const width = Math.max(...mine.map((r) => shortType(r.type).length));
      for (const r of mine)
        io.out(`  + ${shortType(r.type).padEnd(width)}  ${r.name}${describeResource(r.type, r.inputs) ? `  ${describeResource(r.type, r.inputs)}` : ""}`);
      for (const e of environments.filter((x) => x.function.startsWith(`${gateway.name}-`))) {
        io.out(`  function ${e.function}: environment ${e.bytes} of ${e.limit} bytes${e.ok ? "" : " (TOO LARGE)"}`);
      }
      io.out(
        out.frontDoor === "function-url"
          ? "  front door: Function URL only (response streaming; no API Gateway, so no stage throttle: reservedConcurrency and rate limits cap it)"
          : `  front door: API Gateway HTTP API${out.streamUrl ? ", and a streaming Function URL for the endpoints above 29 s" : ""}`,
      );
      for (const t of throttles.filter((x) => x.stage === `${gateway.name}-stage`)) {
        io.out(
          `  stage throttle: ${t.perRoute.rateLimit} requests/s, burst ${t.perRoute.burstLimit}, per route × ${t.routes} route${t.routes === 1 ? "" : "s"} = ` +
            `${t.total.rateLimit} requests/s, burst ${t.total.burstLimit} for the whole API Gateway URL`,
        );
      }
      io.out("  endpoints:");
      for (const [slug, url] of Object.entries(out.endpoints)) {
        const e = gateway.endpoints[slug]!;
        const door = out.frontDoor === "api-gateway" && url.startsWith(out.baseUrl) ? "api" : "stream";
        const held = door === "api" && e.timeoutSeconds > budget.apiDoorUpstreamMaxSeconds;
        io.out(
          `    ${slug}: ${url}  (timeout ${e.timeoutSeconds} s${door === "stream" ? ", streaming Function URL" : ""}${
            held ? `, held to ${budget.apiDoorUpstreamMaxSeconds} s on API Gateway: its 30 s less the store budget of ${budget.storeBudgetMs} ms` : ""
          })`,
        );
        // Where each injected header comes from, never a value: `authorization: "Bearer " + secret STRIPE_BEARER`.
        for (const [header, value] of Object.entries(e.headers.inject)) io.out(`      injects ${header}: ${describeInjectValue(value)}`);
      }
    }
    io.out(`\n${resources.length} resources in total. Secrets are shown as [secret]; deploy with pulumi up.`);
    return status;
  },
};

function shortType(type: string): string {
  // aws:dynamodb/table:Table -> dynamodb.Table
  const m = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type);
  return m ? `${m[1]}.${m[2]}` : type;
}
