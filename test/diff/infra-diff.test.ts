import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildDiffReport } from "../../cli/diff/build-report.ts";
import type { DiffReport } from "../../cli/diff/change.ts";
import type { InfraReport, ResourceChange } from "../../cli/diff/infra-change.ts";
import { renderJson } from "../../cli/diff/render-json.ts";
import { renderMarkdown } from "../../cli/diff/render-markdown.ts";
import { renderText } from "../../cli/diff/render-text.ts";
import type { MockOptions, PlannedResource } from "../../infra/run-under-mocks.ts";
import type { GatewayInput } from "../../schema/gateway.ts";
import { createTempRepo, definitionSource, secretRef, type TempRepo } from "./support/temp-repo.ts";

// Every mock run the diff makes, kept so the tests can prove the secret value really reached the
// program (a masking test that never saw the value could not fail).
const runs = vi.hoisted(() => [] as PlannedResource[][]);
vi.mock("../../infra/run-under-mocks.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../infra/run-under-mocks.ts")>();
  return {
    ...original,
    async runUnderMocks(program: () => unknown, options?: MockOptions) {
      const run = await original.runUnderMocks(program, options);
      runs.push(run.resources);
      return run;
    },
  };
});

/** Set through the Pulumi config, as `pulumi config set --secret` would: the shadow plan reads it like the program does. */
const SECRET_VALUE = "sk_live_51DoNotPrintThisValue9f3a";

function payments(edit: (d: GatewayInput) => void = () => {}): string {
  const d: GatewayInput = {
    name: "payments",
    endpoints: {
      stripe: { upstream: "https://api.stripe.com/v1", methods: ["GET", "POST"], headers: { inject: { authorization: secretRef("STRIPE_BEARER") } } },
      search: { upstream: "https://search.example.com", methods: ["GET"], timeoutSeconds: 10 },
    },
  };
  edit(d);
  return definitionSource(d);
}

let repo: TempRepo;
const commits: Record<string, string> = {};
const reports = new Map<string, DiffReport>();

/** The report between two named commits, with --infra, built once. */
async function infraDiff(base: string, head: string): Promise<DiffReport> {
  const key = `${base}..${head}`;
  if (!reports.has(key)) {
    reports.set(
      key,
      await buildDiffReport({ root: repo.dir, base: commits[base], head: commits[head], paths: ["gateways"], explicitPaths: false, infra: true }),
    );
  }
  return reports.get(key)!;
}

const infraOf = (report: DiffReport): InfraReport => report.infra!;
const changesOf = (report: DiffReport): ResourceChange[] => infraOf(report).gateways.flatMap((g) => g.changes);
const line = (c: ResourceChange) => `${c.action} ${c.type} ${c.name}`;

beforeAll(() => {
  pulumi.runtime.setAllConfig({ "gatehouse:STRIPE_BEARER": SECRET_VALUE }, ["gatehouse:STRIPE_BEARER"]);
  // One repository, one commit per step; each test compares two neighbours.
  repo = createTempRepo();
  const steps: Array<[string, (d: GatewayInput) => void]> = [
    ["base", () => {}],
    ["method", (d) => d.endpoints.stripe!.methods.push("DELETE")],
    ["timeout", (d) => (d.endpoints.stripe!.timeoutSeconds = 120)],
    ["secret", (d) => (d.endpoints.stripe!.headers!.inject!["stripe-account"] = secretRef("STRIPE_ACCOUNT"))],
    ["removed", (d) => delete d.endpoints.search],
  ];
  const edits: Array<(d: GatewayInput) => void> = [];
  for (const [name, edit] of steps) {
    edits.push(edit);
    repo.write(
      "gateways/payments.ts",
      payments((d) => edits.forEach((e) => e(d))),
    );
    commits[name] = repo.commit(name);
  }
  // Same gateway, written another way: keys, endpoints and list items in another order.
  repo.write(
    "gateways/payments.ts",
    definitionSource({
      endpoints: {
        stripe: {
          timeoutSeconds: 120,
          headers: { inject: { "stripe-account": secretRef("STRIPE_ACCOUNT"), authorization: secretRef("STRIPE_BEARER") } },
          methods: ["DELETE", "POST", "GET"],
          upstream: "https://api.stripe.com/v1",
        },
      },
      name: "payments",
    }),
  );
  commits.reordered = repo.commit("reorder");
});

afterAll(() => repo?.cleanup());

describe("gatehouse diff --infra", () => {
  it("a method added changes only the bundled definition: the function code, nothing else", async () => {
    const report = await infraDiff("base", "method");
    expect(infraOf(report).summary).toEqual({ create: 0, update: 1, delete: 0, unchanged: 22, permissionsWidened: 0, protectionLost: 0 });
    expect(changesOf(report)).toEqual([
      {
        action: "update",
        type: "aws:lambda/function:Function",
        name: "payments-api",
        inputs: [{ path: "code[gateway.json]", text: "function code changed (bundled definition)" }],
        flags: [],
      },
    ]);
    expect(infraOf(report).notes).toEqual([]);
  }, 60_000);

  it("a timeout above 29 s adds the streaming function and its Function URL, and widens the role's log permissions", async () => {
    const report = await infraDiff("method", "timeout");
    const changes = changesOf(report);
    expect(changes.filter((c) => c.action === "create").map(line)).toEqual([
      "create aws:cloudwatch/metricAlarm:MetricAlarm payments-alarm-throttles-stream",
      "create aws:lambda/function:Function payments-stream",
      "create aws:lambda/permission:Permission payments-stream-invoke",
      "create aws:cloudwatch/logGroup:LogGroup payments-stream-logs",
      "create aws:lambda/functionUrl:FunctionUrl payments-stream-url",
      "create aws:lambda/permission:Permission payments-stream-url-invoke",
    ]);
    // The dashboard gains the stream function's widgets (its new alarm is listed above).
    expect(changes.filter((c) => c.action === "update").map(line)).toContain("update aws:cloudwatch/dashboard:Dashboard payments-dashboard");
    // The endpoint leaves API Gateway, whose one route and integration serve every endpoint: nothing is deleted.
    expect(changes.filter((c) => c.action === "delete").map(line)).toEqual([]);
    expect(changes.find((c) => c.name === "payments-stream-url")!.settings).toBe("RESPONSE_STREAM, auth NONE");
    const api = changes.find((c) => c.name === "payments-api")!;
    expect(api.inputs).toContainEqual({ path: "environment.variables.GATEHOUSE_STREAM_URL", after: "https://payments-stream-url.lambda-url.eu-west-1.on.aws" });
    expect(api.inputs).toContainEqual({ path: "code[gateway.json]", text: "function code changed (bundled definition)" });
    const policy = changes.find((c) => c.name === "payments-role-policy")!;
    expect(policy.flags).toEqual(["permissions-widened"]);
    expect(policy.inputs).toEqual([
      {
        path: "policy.Statement[WriteOwnLogs].Resource",
        text:
          "statement `WriteOwnLogs`: resources added: `arn:aws:logs:eu-west-1:123456789012:log-group:/gatehouse/gatehouse/plan/payments/stream`, " +
          "`arn:aws:logs:eu-west-1:123456789012:log-group:/gatehouse/gatehouse/plan/payments/stream:log-stream:*`",
        flag: "permissions-widened",
      },
    ]);
    expect(infraOf(report).summary).toMatchObject({ create: 6, update: 3, delete: 0, permissionsWidened: 1, protectionLost: 0 });

    const markdown = renderMarkdown(report);
    const infra = markdown.slice(markdown.indexOf("### Infrastructure"));
    expect(markdown.indexOf("### Infrastructure")).toBeGreaterThan(markdown.indexOf("### Gateway `payments`"));
    expect(infra).toContain("6 to create, 3 to update, 0 to delete, 20 unchanged; 1 widens permissions, none loses table protection (shadow plan:");
    expect(infra).toContain(
      "- ⚠️ **update** `iam.RolePolicy` `payments-role-policy` — **permissions widened**\n  - ⚠️ statement `WriteOwnLogs`: resources added:",
    );
    expect(infra).toContain("- **create** `lambda.FunctionUrl` `payments-stream-url`: `RESPONSE_STREAM, auth NONE`");
    expect(infra).toContain('  - `environment.variables.GATEHOUSE_STREAM_URL`: (none) → `"https://payments-stream-url.lambda-url.eu-west-1.on.aws"`');
    const text = renderText(report);
    expect(text).toContain("! ~ update  iam.RolePolicy  payments-role-policy  (permissions widened)");
    expect(text).toContain("  + create  lambda.FunctionUrl  payments-stream-url  RESPONSE_STREAM, auth NONE");
  }, 60_000);

  it("a new secret reference adds its KMS ciphertext, masked, and the function learns the name only", async () => {
    const report = await infraDiff("timeout", "secret");
    const changes = changesOf(report);
    expect(changes.filter((c) => c.action !== "update").map(line)).toEqual(["create aws:kms/ciphertext:Ciphertext payments-secret-stripe-account"]);
    expect(changes.find((c) => c.action === "create")!.settings).toMatch(
      /^plaintext \[secret\], context \{"gateway":"[0-9a-f-]{36}","name":"STRIPE_ACCOUNT","purpose":"secret"\}$/,
    );
    for (const name of ["payments-api", "payments-stream"]) {
      expect(changes.find((c) => c.name === name)!.inputs).toEqual([
        // The ciphertexts travel in the archive (secrets.json), not in the 4 KB environment.
        { path: "code[gateway.json]", text: "function code changed (bundled definition)" },
        { path: "code[secrets.json]", text: "function code changed (secrets.json)" },
      ]);
    }
    expect(renderText(report)).not.toContain("GATEHOUSE_SECRETS");
  }, 60_000);

  it("an endpoint removed changes the bundled definition only: API Gateway's one route serves whatever endpoints remain", async () => {
    const report = await infraDiff("secret", "removed");
    expect(changesOf(report).map(line)).toEqual(["update aws:lambda/function:Function payments-api", "update aws:lambda/function:Function payments-stream"]);
    expect(renderMarkdown(report)).not.toMatch(/apigatewayv2\.Route/);
  }, 60_000);

  it("a reorder-only change shows no infrastructure change: the bundled definition is written in canonical order", async () => {
    const report = await infraDiff("removed", "reordered");
    expect(report.gateways).toEqual([]);
    expect(infraOf(report).gateways).toEqual([]);
    expect(infraOf(report).summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 30, permissionsWidened: 0, protectionLost: 0 });
    expect(infraOf(report).notes).toEqual([]);
    expect(renderMarkdown(report)).toContain(
      "\n### Infrastructure\n\n0 to create, 0 to update, 0 to delete, 30 unchanged; none widens permissions, none loses table protection",
    );
    expect(renderText(report)).toMatch(/\nno infrastructure changes\n?$/);
  }, 60_000);

  it("never prints a secret value or a ciphertext, in any format, though the value reached the program", async () => {
    for (const [base, head] of [
      ["base", "method"],
      ["method", "timeout"],
      ["timeout", "secret"],
      ["secret", "removed"],
      ["removed", "reordered"],
    ] as const)
      await infraDiff(base, head);
    const plaintexts = runs
      .flat()
      .filter((r) => r.type === "aws:kms/ciphertext:Ciphertext")
      .map((r) => pulumi.runtime.unwrapRpcSecret(r.rawInputs.plaintext));
    expect(plaintexts).toContain(SECRET_VALUE);
    const ciphertexts = [...new Set(runs.flat().flatMap((r) => (typeof r.computed.ciphertextBlob === "string" ? [r.computed.ciphertextBlob] : [])))];
    expect(ciphertexts.length).toBe(2);
    for (const report of reports.values()) {
      for (const out of [renderText(report), renderMarkdown(report), renderJson(report)]) {
        expect(out).not.toContain(SECRET_VALUE);
        expect(out).not.toContain("gatehouse-diff-placeholder");
        for (const ct of ciphertexts) expect(out).not.toContain(ct);
      }
    }
  }, 60_000);

  it("json carries the infra section with its own summary", async () => {
    const json = JSON.parse(renderJson(await infraDiff("timeout", "secret"))) as { summary: Record<string, number>; infra: InfraReport };
    expect(json.summary).toEqual({ widening: 1, narrowing: 0, neutral: 0, breaking: 0 });
    expect(json.infra.summary).toEqual({ create: 1, update: 2, delete: 0, unchanged: 27, permissionsWidened: 0, protectionLost: 0 });
    expect(json.infra.gateways.map((g) => g.name)).toEqual(["payments"]);
  }, 60_000);

  it("the command: --fail-on widening fails on widened IAM permissions alone (a longer timeout widens nothing else)", async () => {
    const result = await repo.diff("--base", commits.method!, "--head", commits.timeout!, "--infra", "--fail-on", "widening");
    expect(result.out).toContain(": 0 widening, 0 narrowing, 1 neutral");
    expect(result.err).toBe("gatehouse diff: the change widens the function role's IAM permissions (--fail-on widening)");
    expect(result.code).toBe(1);
  }, 60_000);

  it("without --infra there is no infra section and Pulumi never runs", async () => {
    const before = runs.length;
    const result = await repo.diff("--base", commits.base!, "--head", commits.method!, "--format", "json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).not.toHaveProperty("infra");
    expect(runs.length).toBe(before);
  });
});
