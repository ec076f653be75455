import { readdir } from "node:fs/promises";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { defineGateway, secret } from "../../schema/index.ts";
import type { Gateway as GatewayDefinition } from "../../schema/gateway.ts";
import { secretNames } from "../../schema/secret-names.ts";
import { TABLES } from "../../functions/contracts/tables.ts";
import { deployGateways } from "../../infra/deploy-gateways.ts";
import { GATEWAY_TYPE } from "../../infra/gateway.ts";
import type { GatewayOutputs } from "../../infra/gateway-outputs.ts";
import { loadGatewayFiles } from "../../infra/load-gateway-folder.ts";
import { mockCiphertext, runUnderMocks, type PlannedResource } from "../../infra/run-under-mocks.ts";
import { createHash } from "node:crypto";
import { SECRETS_FILE, serializeCiphertexts } from "../../functions/contracts/lambda-contract.ts";

/** Resource inputs as the mocks recorded them: untyped JSON, read field by field. */
type Inputs = Record<string, unknown>;

/** A gateway whose timeouts cover both doors: 5 s and 29 s on API Gateway, 30 s and 300 s streamed. */
const timeouts = defineGateway({
  name: "timeouts",
  defaults: { timeoutSeconds: 5 },
  endpoints: {
    quick: { upstream: "https://quick.example.com", methods: ["GET"] },
    edge: { upstream: "https://edge.example.com", methods: ["GET"], timeoutSeconds: 29 },
    thirty: { upstream: "https://thirty.example.com", methods: ["GET"], timeoutSeconds: 30 },
    report: {
      upstream: "https://reports.example.com",
      methods: ["POST"],
      timeoutSeconds: 300,
      headers: { inject: { authorization: secret("REPORTS_TOKEN") } },
    },
  },
});

const plaintext = (name: string) => `plaintext-${name}-d41d8cd98f`;

let examples: GatewayDefinition[];
let resources: PlannedResource[];
let outputs: Record<string, GatewayOutputs>;

beforeAll(async () => {
  const files = (await readdir("examples", { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => `examples/${d.name}/gateway.ts`);
  const present = (await Promise.all(files.map(async (f) => ((await readdir(f.replace("/gateway.ts", ""))).includes("gateway.ts") ? f : null)))).filter(
    (f): f is string => f !== null,
  );
  examples = await loadGatewayFiles(present);
  const run = await runUnderMocks(() => ({ gateways: deployGateways([...examples, timeouts], { secret: (n) => pulumi.secret(plaintext(n)) }).outputs }), {
    region: "eu-west-1",
  });
  resources = run.resources;
  outputs = run.outputs.gateways;
}, 60_000);

const ofType = (type: string, gateway?: string) =>
  resources.filter((r) => r.type === type && (gateway === undefined || r.name.startsWith(`${gateway}-`))) as Array<PlannedResource & { rawInputs: Inputs }>;

describe("the Gateway component under Pulumi mocks, over every example", () => {
  it("deploys every example (and the timeouts gateway), each as one gatehouse:aws:Gateway", () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const components = resources
      .filter((r) => r.type === GATEWAY_TYPE)
      .map((r) => r.name)
      .sort();
    expect(components).toEqual([...examples.map((e) => e.name), "timeouts"].sort());
  });

  it("records `definition` and `auditRetentionDays` (default 90) as the component's inputs, and no secret", () => {
    for (const c of resources.filter((r) => r.type === GATEWAY_TYPE)) {
      expect(c.rawInputs.auditRetentionDays).toBe(90);
      expect((c.rawInputs.definition as GatewayDefinition).name).toBe(c.name);
      expect(JSON.stringify(c.rawInputs)).not.toContain("plaintext-");
    }
  });

  it("every aws: resource is a child of its gateway component and named after it", () => {
    const children = resources.filter((r) => r.type.startsWith("aws:"));
    expect(children.length).toBeGreaterThan(60);
    for (const r of children) {
      expect(r.urn).toMatch(new RegExp(`::${GATEWAY_TYPE}\\$aws:`));
      expect([...examples.map((e) => e.name), "timeouts"].some((g) => r.name.startsWith(`${g}-`))).toBe(true);
    }
  });

  it("every table (four per gateway, from the shared definitions) has PITR, SSE with the gateway's customer key, TTL, deletion protection, on-demand billing", () => {
    for (const gw of [...examples, timeouts]) {
      const tables = ofType("aws:dynamodb/table:Table", gw.name);
      expect(tables.map((t) => t.name).sort()).toEqual(
        Object.values(TABLES)
          .map((t) => `${gw.name}-${t.suffix}`)
          .sort(),
      );
      const tableKeyArn = `arn:aws:kms:eu-west-1:123456789012:key/${gw.name}-table-key-key-id`;
      for (const t of tables) {
        const def = Object.values(TABLES).find((d) => t.name === `${gw.name}-${d.suffix}`)!;
        expect(t.rawInputs.pointInTimeRecovery).toEqual({ enabled: true });
        expect(t.rawInputs.serverSideEncryption).toEqual({ enabled: true, kmsKeyArn: tableKeyArn });
        expect(t.rawInputs.ttl).toEqual({ enabled: true, attributeName: def.ttlAttribute ?? "ttl" });
        expect(t.rawInputs.deletionProtectionEnabled).toBe(true);
        expect(t.rawInputs.billingMode).toBe("PAY_PER_REQUEST");
        expect(t.rawInputs.hashKey).toBe(def.hashKey);
      }
    }
  });

  it("every KMS key rotates and has an alias; the envelope key is not the table key", () => {
    const keys = ofType("aws:kms/key:Key");
    expect(keys).toHaveLength(2 * (examples.length + 1));
    for (const k of keys) {
      expect(k.rawInputs.enableKeyRotation).toBe(true);
      expect(k.rawInputs.deletionWindowInDays).toBe(30);
    }
    const aliases = ofType("aws:kms/alias:Alias");
    expect(aliases.map((a) => a.rawInputs.targetKeyId).sort()).toEqual(keys.map((k) => `${k.name}-key-id`).sort());
    for (const a of aliases) expect(a.rawInputs.name).toMatch(/^alias\/gatehouse\/gatehouse\/plan\//);
  });

  it("no IAM statement has a wildcard action or resource; KMS use is conditioned; the only pattern is the function's own log streams", () => {
    const policies = ofType("aws:iam/rolePolicy:RolePolicy");
    expect(policies).toHaveLength(examples.length + 1);
    for (const p of policies) {
      const gateway = p.name.replace(/-role-policy$/, "");
      const doc = JSON.parse(p.rawInputs.policy as string) as { Statement: Inputs[] };
      for (const s of doc.Statement) {
        expect(s.Effect).toBe("Allow");
        for (const action of s.Action as string[]) expect(action).toMatch(/^[a-z0-9]+:[A-Za-z]+$/);
        for (const resource of s.Resource as string[]) {
          expect(resource).not.toBe("*");
          if (resource.includes("*"))
            expect(resource).toMatch(
              new RegExp(`^arn:aws:logs:eu-west-1:123456789012:log-group:/gatehouse/gatehouse/plan/${gateway}/(api|stream):log-stream:\\*$`),
            );
          else expect(resource).toMatch(/^arn:aws:(dynamodb|kms|logs):eu-west-1:123456789012:/);
        }
      }
      const kms = doc.Statement.filter((s) => (s.Action as string[]).some((a) => a.startsWith("kms:")));
      expect(kms).toHaveLength(2);
      const id = [...examples, timeouts].find((g) => g.name === gateway)!.id;
      expect(kms[0]!.Condition).toEqual({ StringEquals: { "kms:EncryptionContext:gateway": id } });
      expect(kms[1]!.Condition).toEqual({ StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } });
      const tables = doc.Statement.filter((s) => (s.Action as string[]).some((a) => a.startsWith("dynamodb:")));
      expect(tables.find((s) => s.Sid === "AppendAudit")!.Action).toEqual(["dynamodb:PutItem"]);
    }
    for (const role of ofType("aws:iam/role:Role")) {
      const trust = JSON.parse(role.rawInputs.assumeRolePolicy as string);
      expect(trust.Statement).toEqual([{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }]);
    }
    expect(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toHaveLength(0); // no managed policy with Resource "*"
  });

  it("only gateways with OAuth connections may touch the connections table", () => {
    for (const p of ofType("aws:iam/rolePolicy:RolePolicy")) {
      const gateway = [...examples, timeouts].find((g) => p.name === `${g.name}-role-policy`)!;
      const sids = (JSON.parse(p.rawInputs.policy as string).Statement as Inputs[]).map((s) => s.Sid);
      expect(sids.includes("KeepConnections")).toBe(Object.keys(gateway.connections).length > 0);
    }
  });

  it("every integration is AWS_PROXY with payload format 2.0, and every route reaches one", () => {
    const integrations = ofType("aws:apigatewayv2/integration:Integration");
    for (const i of integrations) expect(i.rawInputs).toMatchObject({ integrationType: "AWS_PROXY", payloadFormatVersion: "2.0", integrationMethod: "POST" });
    for (const r of ofType("aws:apigatewayv2/route:Route")) expect(r.rawInputs.routeKey).toMatch(/^ANY \/api\//);
  });

  it("one integration and one route per gateway, at API Gateway's full 30 s; function timeouts follow the definition; endpoints above 29 s are served by the streaming Function URL", () => {
    for (const gw of [...examples, timeouts]) {
      const integrations = ofType("aws:apigatewayv2/integration:Integration", gw.name);
      expect(integrations.map((i) => [i.name, i.rawInputs.timeoutMilliseconds])).toEqual([[`${gw.name}-integration-default`, 30_000]]);
      expect(ofType("aws:apigatewayv2/route:Route", gw.name).map((r) => r.rawInputs.routeKey)).toEqual(["ANY /api/{proxy+}"]);
    }
    const fn = (door: string) => ofType("aws:lambda/function:Function").find((f) => f.name === `timeouts-${door}`)!.rawInputs;
    expect(fn("api").timeout).toBe(34);
    expect(fn("stream").timeout).toBe(305);
    expect(fn("stream").handler).toBe("index.streamHandler");
    expect(fn("api").handler).toBe("index.handler");
    const url = ofType("aws:lambda/functionUrl:FunctionUrl", "timeouts")[0]!.rawInputs;
    expect(url).toMatchObject({ invokeMode: "RESPONSE_STREAM", authorizationType: "NONE" });
    expect(outputs.timeouts!.endpoints).toEqual({
      quick: `https://timeouts-api.execute-api.eu-west-1.amazonaws.com/api/${timeouts.id}/proxy/quick`,
      edge: `https://timeouts-api.execute-api.eu-west-1.amazonaws.com/api/${timeouts.id}/proxy/edge`,
      thirty: `https://timeouts-stream-url.lambda-url.eu-west-1.on.aws/api/${timeouts.id}/proxy/thirty`,
      report: `https://timeouts-stream-url.lambda-url.eu-west-1.on.aws/api/${timeouts.id}/proxy/report`,
    });
  });

  it("functions: nodejs24.x on arm64, JSON logs into their own group, the bundle as code, reserved concurrency unset", () => {
    for (const f of ofType("aws:lambda/function:Function")) {
      expect(f.rawInputs.runtime).toBe("nodejs24.x");
      expect(f.rawInputs.architectures).toEqual(["arm64"]);
      expect(f.rawInputs.memorySize).toBe(512);
      expect(f.rawInputs.loggingConfig).toMatchObject({ logFormat: "JSON" });
      expect(f.inputs.code).toBe("[code archive]");
      expect(f.rawInputs.reservedConcurrentExecutions).toBeUndefined();
    }
    for (const g of ofType("aws:cloudwatch/logGroup:LogGroup")) expect(g.rawInputs.retentionInDays).toBe(30);
  });

  it("no secret in plaintext anywhere in a function's configuration: only KMS ciphertext, made under the gateway's context", () => {
    const all = [...examples, timeouts];
    const secrets = all.flatMap((g) => secretNames(g).map((n) => plaintext(n)));
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const f of ofType("aws:lambda/function:Function")) {
      const text = JSON.stringify(f.rawInputs);
      for (const s of secrets) expect(text).not.toContain(s);
      expect(text).not.toContain(pulumi.runtime.specialSecretSig);
    }
    for (const gw of all) {
      const fn = ofType("aws:lambda/function:Function").find((f) => f.name === `${gw.name}-api`)!;
      // The ciphertexts travel in the archive's secrets.json, never in the 4 KB environment.
      const environment = fn.rawInputs.environment as { variables: Record<string, string> };
      expect(Object.keys(environment.variables).filter((k) => /SECRET/.test(k))).toEqual([]);
      const ciphertexts: Record<string, string> = {};
      for (const name of secretNames(gw)) {
        const logical = `${gw.name}-secret-${name.toLowerCase().replace(/_/g, "-")}`;
        const ct = ofType("aws:kms/ciphertext:Ciphertext").find((c) => c.name === logical)!;
        ciphertexts[name] = mockCiphertext(logical, ct.rawInputs.plaintext);
        expect(Buffer.from(ciphertexts[name], "base64").toString()).toMatch(new RegExp(`^kms-ciphertext-of-${logical}\\.+$`));
        expect(pulumi.runtime.isRpcSecret(ct.rawInputs.plaintext)).toBe(true);
        expect(pulumi.runtime.unwrapRpcSecret(ct.rawInputs.plaintext)).toBe(plaintext(name));
        expect(ct.inputs.plaintext).toBe("[secret]");
        expect(ct.rawInputs.context).toEqual({ gateway: gw.id, purpose: "secret", name });
        expect(ct.rawInputs.keyId).toBe(`${gw.name}-envelope-key-key-id`);
      }
      expect(fn.archives.code?.[SECRETS_FILE]).toBe(createHash("sha256").update(serializeCiphertexts(ciphertexts)).digest("hex"));
    }
  });

  it("the stage is $default, throttled, with JSON access logs; the invoke permission is scoped to /api", () => {
    for (const s of ofType("aws:apigatewayv2/stage:Stage")) {
      expect(s.rawInputs).toMatchObject({ name: "$default", autoDeploy: true });
      expect(s.rawInputs.defaultRouteSettings).toMatchObject({ throttlingRateLimit: 100, throttlingBurstLimit: 200 });
      const accessLog = s.rawInputs.accessLogSettings as { destinationArn: string; format: string };
      expect(accessLog.destinationArn).toMatch(/^arn:aws:logs:.*:log-group:\/aws\/vendedlogs\/gatehouse\//);
      expect(JSON.parse(accessLog.format)).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
    }
    for (const p of ofType("aws:lambda/permission:Permission").filter((p) => p.name.endsWith("-api-invoke"))) {
      expect(p.rawInputs).toMatchObject({ principal: "apigateway.amazonaws.com", action: "lambda:InvokeFunction" });
      expect(p.rawInputs.sourceArn).toMatch(/^arn:aws:execute-api:eu-west-1:123456789012:[a-z0-9-]+-api\/\*\/\*\/api\/\*$/);
    }
  });

  it("outputs every gateway in the stack-outputs shape: base URL, endpoint URLs, table names, key ARN", () => {
    for (const gw of examples) {
      const out = outputs[gw.name]!;
      expect(out).toMatchObject({
        name: gw.name,
        id: gw.id,
        region: "eu-west-1",
        keyArn: `arn:aws:kms:eu-west-1:123456789012:key/${gw.name}-envelope-key-key-id`,
      });
      expect(out.baseUrl).toBe(`https://${gw.name}-api.execute-api.eu-west-1.amazonaws.com`);
      expect(Object.keys(out.endpoints).sort()).toEqual(Object.keys(gw.endpoints).sort());
      expect(Object.keys(out.tables).sort()).toEqual(Object.keys(TABLES).sort());
    }
  });
});

describe("refusals before anything is planned", () => {
  it("names every missing secret with the command that sets it", () => {
    expect(() => deployGateways([timeouts], { secret: () => undefined })).toThrow(
      "missing secret: REPORTS_TOKEN (gateway timeouts). Set each with: pulumi config set --secret REPORTS_TOKEN <value>",
    );
  });

  it("refuses bad deployment options with the allowed values", () => {
    expect(() => deployGateways([timeouts], { secret: () => "x", options: { logRetentionDays: 10, memorySize: 64 } })).toThrow(
      /memorySize must be a whole number of MB from 128 to 10240; logRetentionDays must be one of 1, 3, 5, 7, 14, 30/,
    );
  });
});
