import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect, it } from "vitest";
import { runUnderMocks } from "../../infra/run-under-mocks.ts";

it("the Pulumi program deploys every definition file in gatewaysDir, with secrets from stack config, and exports `gateways`", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gatehouse-gateways-"));
  const schema = new URL("../../schema/index.ts", import.meta.url).pathname;
  const file = (name: string, secretName: string) =>
    `import { defineGateway, secret } from ${JSON.stringify(schema)};\n` +
    `export default defineGateway({ name: "${name}", endpoints: { api: { upstream: "https://${name}.example.com", methods: ["GET"], timeoutSeconds: 10, headers: { inject: { authorization: secret("${secretName}") } } } } });\n`;
  await writeFile(join(dir, "alpha.ts"), file("alpha", "ALPHA_TOKEN"));
  await writeFile(join(dir, "beta.ts"), file("beta", "BETA_TOKEN"));
  await writeFile(join(dir, "README.md"), "ignored\n");
  // What `pulumi config set gatewaysDir …` and `pulumi config set --secret NAME …` give the program.
  pulumi.runtime.setAllConfig(
    { "gatehouse:gatewaysDir": dir, "gatehouse:ALPHA_TOKEN": "alpha-plaintext-1", "gatehouse:BETA_TOKEN": "beta-plaintext-2", "gatehouse:memorySize": "1024" },
    ["gatehouse:ALPHA_TOKEN", "gatehouse:BETA_TOKEN"],
  );
  const run = await runUnderMocks(async () => ({ gateways: (await import("../../infra/program.ts")).gateways }));
  expect(Object.keys(run.outputs.gateways).sort()).toEqual(["alpha", "beta"]);
  expect(run.outputs.gateways.alpha!.endpoints.api).toMatch(/^https:\/\/alpha-api\.execute-api\.eu-west-1\.amazonaws\.com\/api\/[0-9a-f-]{36}\/proxy\/api$/);
  const functions = run.resources.filter((r) => r.type === "aws:lambda/function:Function");
  expect(functions.map((f) => f.rawInputs.memorySize)).toEqual([1024, 1024]);
  const ciphertexts = run.resources.filter((r) => r.type === "aws:kms/ciphertext:Ciphertext");
  expect(ciphertexts.map((c) => pulumi.runtime.unwrapRpcSecret(c.rawInputs.plaintext)).sort()).toEqual(["alpha-plaintext-1", "beta-plaintext-2"]);
  for (const f of functions) expect(JSON.stringify(f.rawInputs)).not.toMatch(/plaintext-[12]/);
}, 60_000);
