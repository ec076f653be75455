import { describe, expect, it } from "vitest";
import { diffResources } from "../../cli/diff/diff-resources.ts";
import type { InfraReport, ShadowResource } from "../../cli/diff/infra-change.ts";
import { renderMarkdown } from "../../cli/diff/render-markdown.ts";

describe("resource comparison (fabricated plans)", () => {
  const resource = (type: string, name: string, inputs: Record<string, unknown>): ShadowResource => ({
    urn: `urn:pulumi:plan::gatehouse::gatehouse:aws:Gateway$${type}::${name}`,
    type,
    name,
    gateway: "payments",
    inputs,
    archives: {},
  });
  const table = (over: Record<string, unknown> = {}) =>
    resource("aws:dynamodb/table:Table", "payments-audit", {
      hashKey: "pk",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" },
      deletionProtectionEnabled: true,
      ...over,
    });

  it("a table losing PITR, its customer key or deletion protection is flagged protection-lost (🚨)", () => {
    const { changes } = diffResources(
      [table()],
      [table({ pointInTimeRecovery: { enabled: false }, serverSideEncryption: { enabled: true }, deletionProtectionEnabled: false, hashKey: "pk" })],
    );
    expect(changes[0]!.change.flags).toEqual(["protection-lost"]);
    expect(changes[0]!.change.inputs).toEqual([
      { path: "pointInTimeRecovery.enabled", text: "point-in-time recovery switched off", flag: "protection-lost" },
      { path: "serverSideEncryption.kmsKeyArn", text: "server-side encryption no longer uses the gateway's customer managed key", flag: "protection-lost" },
      { path: "deletionProtectionEnabled", text: "deletion protection switched off", flag: "protection-lost" },
    ]);
    const report: InfraReport = {
      summary: { create: 0, update: 1, delete: 0, unchanged: 0, permissionsWidened: 0, protectionLost: 1 },
      gateways: [{ name: "payments", changes: [changes[0]!.change] }],
      problems: [],
      notes: [],
    };
    const markdown = renderMarkdown({
      base: { label: "a", commit: "a".repeat(40) },
      head: { label: "b", commit: "b".repeat(40) },
      gateways: [],
      problems: [],
      notes: [],
      infra: report,
    });
    expect(markdown).toContain("- 🚨 **update** `dynamodb.Table` `payments-audit` — **protection lost**\n  - 🚨 point-in-time recovery switched off");
    expect(markdown).toContain("> A table loses a protection");
  });

  it("gaining a protection is an ordinary change", () => {
    const { changes } = diffResources([table({ deletionProtectionEnabled: false })], [table()]);
    expect(changes[0]!.change).toMatchObject({ flags: [], inputs: [{ path: "deletionProtectionEnabled", before: false, after: true }] });
  });

  it("policy statements: added, wider actions and a dropped condition widen; a removed statement does not", () => {
    const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
    const read = { Sid: "ReadTokens", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: ["arn:t"] };
    const key = {
      Sid: "EnvelopeKey",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: ["arn:k"],
      Condition: { StringEquals: { "kms:EncryptionContext:gateway": "g" } },
    };
    const logs = { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: ["arn:l"] };
    const policy = (d: string) => resource("aws:iam/rolePolicy:RolePolicy", "payments-role-policy", { policy: d, role: "payments-role-id" });
    const { changes } = diffResources(
      [policy(doc(read, key, logs))],
      [
        policy(
          doc(
            { ...read, Action: ["dynamodb:GetItem", "dynamodb:Scan"] },
            { Sid: "Extra", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:s"] },
            { ...key, Condition: undefined },
          ),
        ),
      ],
    );
    expect(changes[0]!.change.inputs).toEqual([
      { path: "policy.Statement[ReadTokens].Action", text: "statement `ReadTokens`: actions added: `dynamodb:Scan`", flag: "permissions-widened" },
      { path: "policy.Statement[Extra]", text: "statement `Extra` added: `s3:GetObject` on `arn:s`", flag: "permissions-widened" },
      { path: "policy.Statement[EnvelopeKey].Condition", before: { StringEquals: { "kms:EncryptionContext:gateway": "g" } }, flag: "permissions-widened" },
      { path: "policy.Statement[WriteOwnLogs]", text: "statement `WriteOwnLogs` removed: `logs:PutLogEvents` on `arn:l`" },
    ]);
    const narrower = diffResources([policy(doc(read, logs))], [policy(doc(read))]);
    expect(narrower.changes[0]!.change.flags).toEqual([]);
  });

  it("the code archive compares by file digest: equal digests are no change, a new bundle is named", () => {
    const fn = (definition: string, bundle: string) => ({
      ...resource("aws:lambda/function:Function", "payments-api", { code: "[code archive]", timeout: 25 }),
      archives: { code: { "gateway.json": definition, "index.mjs": bundle } },
    });
    expect(diffResources([fn("d1", "b1")], [fn("d1", "b1")])).toEqual({ changes: [], unchanged: 1 });
    expect(diffResources([fn("d1", "b1")], [fn("d1", "b2")]).changes[0]!.change.inputs).toEqual([
      { path: "code[index.mjs]", text: "function code changed (handler bundle)" },
    ]);
  });
});
