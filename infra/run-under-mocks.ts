import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import * as pulumi from "@pulumi/pulumi";

/** One resource the program registered, as the mock engine saw it. */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** True for real cloud resources, false for components. */
  custom: boolean;
  /** Inputs with every secret replaced by `"[secret]"` and assets by a short description. */
  inputs: Record<string, unknown>;
  /** Inputs as registered, secrets included (tests only; never print these). */
  rawInputs: Record<string, unknown>;
  /** The fake outputs the mocks computed (ARNs, URLs, ciphertexts): no inputs, never printed by plan. */
  computed: Record<string, unknown>;
  /** The parent's URN ("" for the stack itself), so callers can tell which component a resource belongs to. */
  parent: string;
  /**
   * The files of each asset archive among the inputs, by input name then file name, as SHA-256
   * hex of the content. The mock engine only sees `{ __pulumiArchive }` (no contents), so these
   * are read from the program's own asset objects; they let a caller tell which file changed.
   */
  archives: Record<string, Record<string, string>>;
}

/** Where the program pretends to run. */
export interface MockOptions {
  /** @default "gatehouse" */
  project?: string;
  /** @default "plan" */
  stack?: string;
  /** @default "eu-west-1" */
  region?: string;
  /** @default "123456789012" */
  accountId?: string;
}

/** What a mock run gave. */
export interface MockRun<T> {
  resources: PlannedResource[];
  /** The program's return value, its outputs resolved. */
  outputs: T;
}

/** The value printed in place of a secret. */
export const MASK = "[secret]";

/**
 * Runs a Pulumi program in-process under `pulumi.runtime.setMocks`: no CLI, no plugins, no
 * cloud. Every registration is captured (a legacy stack transformation sees each resource; the
 * run waits for every URN, since Pulumi offers no "program finished" signal under mocks).
 * Computed values are fakes derived from names (ARNs, URLs, ciphertexts), so two runs of the
 * same program give the same values. Pulumi's runtime state is global: runs must not overlap
 * (one after another is fine: `setMocks` resets the stack and settings; `gatehouse diff --infra`
 * runs the base and then the head).
 */
export async function runUnderMocks<T>(program: () => T | Promise<T>, options: MockOptions = {}): Promise<MockRun<pulumi.Unwrap<T>>> {
  const region = options.region ?? "eu-west-1";
  const account = options.accountId ?? "123456789012";
  const captured: PlannedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const rawInputs = args.inputs as Record<string, unknown>;
        const computed = args.custom === false ? {} : fakeOutputs(args.type, args.name, rawInputs, region, account);
        captured.push({
          urn: "",
          type: args.type,
          name: args.name,
          custom: args.custom ?? true,
          inputs: mask(rawInputs) as Record<string, unknown>,
          rawInputs,
          computed,
          parent: "",
          archives: {},
        });
        if (args.custom === false) return { id: "", state: {} };
        return { id: `${args.name}-id`, state: { ...rawInputs, ...computed } };
      },
      call(args) {
        if (args.token === "aws:index/getRegion:getRegion") return { region, name: region, id: region };
        if (args.token === "aws:index/getCallerIdentity:getCallerIdentity")
          return { accountId: account, arn: `arn:aws:iam::${account}:user/plan`, userId: "plan", id: account };
        return args.inputs;
      },
    },
    options.project ?? "gatehouse",
    options.stack ?? "plan",
    false,
  );
  const resources: pulumi.Resource[] = [];
  // What only the program side knows (the parent, the archive objects), by `type::name`.
  const registrations = new Map<string, Array<{ parent: pulumi.Resource | undefined; props: Record<string, unknown> }>>();
  let result: T | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((a) => {
      resources.push(a.resource);
      const key = `${a.type}::${a.name}`;
      registrations.set(key, [...(registrations.get(key) ?? []), { parent: a.opts.parent, props: a.props }]);
      return undefined;
    });
    result = await program();
    return {};
  });
  const urns = await Promise.all(resources.map((r) => resolvedValue(r.urn)));
  const outputs = (await resolvedValue(pulumi.output(result))) as pulumi.Unwrap<T>;
  // Registrations and URNs come back in the same order per name and type; pair them up.
  const byKey = new Map<string, string[]>();
  for (const urn of urns) {
    const key = urnKey(urn);
    byKey.set(key, [...(byKey.get(key) ?? []), urn]);
  }
  for (const r of captured) {
    const key = `${r.type}::${r.name}`;
    r.urn = byKey.get(key)?.shift() ?? "";
    const registration = registrations.get(key)?.shift();
    if (!registration) continue;
    r.parent = registration.parent ? await resolvedValue(registration.parent.urn) : "";
    r.archives = await archiveDigests(registration.props);
  }
  return { resources: captured, outputs };
}

/** Resolves an output (under mocks, outside preview, every output is known). */
export function resolvedValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => (resolve(v), v)));
}

function urnKey(urn: string): string {
  // urn:pulumi:<stack>::<project>::<parent types $ ...>$<type>::<name>
  const parts = urn.split("::");
  const name = parts.at(-1) ?? "";
  const type = (parts.at(-2) ?? "").split("$").at(-1) ?? "";
  return `${type}::${name}`;
}

/** Replaces secrets by {@link MASK} and assets by a description, recursively; keys sorted. */
export function mask(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return MASK;
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === "object") {
    if ((value as Record<string, unknown>).__pulumiArchive === true || (value as Record<string, unknown>).__pulumiAsset === true) return "[code archive]";
    if (value instanceof pulumi.asset.Archive || value instanceof pulumi.asset.Asset) return "[code archive]";
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, mask(v)]),
    );
  }
  return value;
}

/** SHA-256 of every file of every asset archive directly among `props` (the Lambda `code`). */
async function archiveDigests(props: Record<string, unknown>): Promise<Record<string, Record<string, string>>> {
  const digests: Record<string, Record<string, string>> = {};
  for (const [input, value] of Object.entries(props)) {
    const resolved = pulumi.Output.isInstance(value) ? await resolvedValue(value as pulumi.Output<unknown>) : value;
    if (resolved instanceof pulumi.asset.AssetArchive) digests[input] = await archiveFiles(resolved, "");
  }
  return digests;
}

async function archiveFiles(archive: pulumi.asset.AssetArchive, prefix: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const sha256 = (content: string | Buffer) => createHash("sha256").update(content).digest("hex");
  for (const [name, entry] of Object.entries(await archive.assets)) {
    const path = `${prefix}${name}`;
    if (entry instanceof pulumi.asset.StringAsset) files[path] = sha256(await entry.text);
    else if (entry instanceof pulumi.asset.FileAsset) files[path] = sha256(await readFile(await entry.path));
    else if (entry instanceof pulumi.asset.AssetArchive) Object.assign(files, await archiveFiles(entry, `${path}/`));
    // Remote assets and file archives: named by where they come from (their content is not read).
    else if (entry instanceof pulumi.asset.RemoteAsset) files[path] = `uri:${await entry.uri}`;
    else if (entry instanceof pulumi.asset.FileArchive) files[path] = `path:${await entry.path}`;
    else if (entry instanceof pulumi.asset.RemoteArchive) files[path] = `uri:${await entry.uri}`;
  }
  return files;
}

/** Plausible computed outputs per resource type, derived from the logical name. */
function fakeOutputs(type: string, name: string, inputs: Record<string, unknown>, region: string, account: string): Record<string, unknown> {
  const physical = typeof inputs.name === "string" ? inputs.name : `${name}-0000000`;
  switch (type) {
    case "aws:kms/key:Key":
      return { keyId: `${name}-key-id`, arn: `arn:aws:kms:${region}:${account}:key/${name}-key-id` };
    case "aws:dynamodb/table:Table":
      return { name: physical, arn: `arn:aws:dynamodb:${region}:${account}:table/${physical}` };
    case "aws:iam/role:Role":
      return { name: physical, arn: `arn:aws:iam::${account}:role/${physical}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { name: physical, arn: `arn:aws:logs:${region}:${account}:log-group:${physical}` };
    case "aws:lambda/function:Function":
      return {
        name: physical,
        arn: `arn:aws:lambda:${region}:${account}:function:${physical}`,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${account}:function:${physical}/invocations`,
      };
    case "aws:lambda/functionUrl:FunctionUrl":
      return { functionUrl: `https://${name}.lambda-url.${region}.on.aws/` };
    case "aws:apigatewayv2/api:Api":
      return { apiEndpoint: `https://${name}.execute-api.${region}.amazonaws.com`, executionArn: `arn:aws:execute-api:${region}:${account}:${name}` };
    case "aws:kms/ciphertext:Ciphertext":
      // As long as a real one: KMS adds about 152 bytes (key id, IV, tag, context digest) to the plaintext.
      return { ciphertextBlob: mockCiphertext(name, inputs.plaintext) };
    default:
      return {};
  }
}

/**
 * A fake KMS ciphertext for a plan: `kms-ciphertext-of-<name>` padded to the length a real
 * CiphertextBlob of that plaintext has (plaintext + 152 bytes), base64, so size checks see real sizes.
 */
export function mockCiphertext(name: string, plaintext: unknown): string {
  const value = pulumi.runtime.isRpcSecret(plaintext) ? pulumi.runtime.unwrapRpcSecret(plaintext) : plaintext;
  const size = (typeof value === "string" ? Buffer.byteLength(value) : 32) + 152;
  const label = Buffer.from(`kms-ciphertext-of-${name}`);
  return Buffer.concat([label, Buffer.alloc(Math.max(0, size - label.byteLength), ".")]).toString("base64");
}
