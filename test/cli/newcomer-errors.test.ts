import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordGateways } from "../../cli/gateway-names.ts";
import { main } from "../../cli/main.ts";
import { readStackOutputs, storeTargetOf } from "../../cli/store-flags.ts";
import { gatewayIdFromName } from "../../schema/gateway-id.ts";
import { recordingIo } from "../helpers/recording-io.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;

// Inside the repository, so `import "gatehouse-gateway"` in the definitions resolves as in a user's project.
beforeAll(async () => {
  await mkdir(join(repo, ".gatehouse"), { recursive: true });
  dir = await mkdtemp(join(repo, ".gatehouse", "newcomer-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function run(cwd: string, ...argv: string[]) {
  const io = recordingIo(cwd);
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

const OWN_ID = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
const definition = (name: string, extra = "") =>
  `import { defineGateway, oauth, secret } from "gatehouse-gateway";
export default defineGateway({ name: "${name}",${extra}
  connections: { gh: oauth.github({ clientId: "Iv1.1", clientSecret: secret("GH_SECRET"), scopes: ["repo"] }) },
  endpoints: { stripe: { upstream: "https://api.stripe.com/v1", methods: ["GET"] }, github: { upstream: "https://api.github.com", methods: ["GET"], connection: "gh" } } });\n`;

describe("gatehouse --version", () => {
  it("prints our package.json version, exit 0", async () => {
    const pkg = JSON.parse(await readFile(join(repo, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-v"]) {
      const r = await run(repo, flag);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`gatehouse ${pkg.version}`);
    }
  });
});

describe("option errors in our words", () => {
  it.each([
    [["validate", "--jsn", "x.ts"], "gatehouse validate: unknown option '--jsn'\nusage: gatehouse validate <file...>"],
    [["dev", "gateway.ts", "--port"], "gatehouse dev: option --port needs a value\nusage: gatehouse dev [file]"],
    [["token", "create", "--gateway"], "gatehouse token: option --gateway needs a value\nusage: gatehouse token create"],
    [["token", "list", "--json=yes"], "gatehouse token: option --json takes no value\nusage: gatehouse token create"],
    [
      ["diff", "--base", "--format", "json"],
      "gatehouse diff: option --base needs a value (the next argument starts with '-'; write --base=<value> if it is the value)\nusage: gatehouse diff",
    ],
    [["audit", "extra"], "gatehouse audit: unexpected argument 'extra': this command takes options only\nusage: gatehouse audit"],
  ])("%j exits 2 naming the option and the usage", async (argv, message) => {
    const r = await run(repo, ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain("To specify");
    expect(r.err).not.toContain("argument missing");
  });
});

describe("a missing definition file", () => {
  it.each([
    [["validate", "gateways/nope.ts"], "gatehouse validate: no such file: gateways/nope.ts\nusage: gatehouse validate"],
    [["dev", "nope.ts", "--memory"], "gatehouse dev: no such file: nope.ts\nusage: gatehouse dev"],
    [["serve", "nope.ts", "--data", ".gatehouse/never-created"], "gatehouse serve: no such file: nope.ts\nusage: gatehouse serve"],
    [["validate", "gateways"], "gatehouse validate: gateways is not a file; name the definition files (for a folder: gateways/*.ts)"],
  ])("%j exits 2", async (argv, message) => {
    const r = await run(repo, ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe("");
  });
});

describe("one gateway in two files", () => {
  it("is a validate error (exit 1) naming both files, by name and by id", async () => {
    const a = join(dir, "a.ts");
    const b = join(dir, "b.ts");
    const c = join(dir, "c.ts");
    const d = join(dir, "d.ts");
    await writeFile(a, definition("twice"));
    await writeFile(b, definition("twice"));
    await writeFile(c, definition("first-name", ` id: "${OWN_ID}",`));
    await writeFile(d, definition("second-name", ` id: "${OWN_ID}",`));
    const r = await run(repo, "validate", a, b, c, d);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`✗ ${a} and ${b} both define gateway 'twice'; names must be unique`);
    expect(r.out).toContain(
      `✗ ${c} (gateway 'first-name') and ${d} (gateway 'second-name') have the same id ${OWN_ID}; ids must be unique (both would answer at the same client URLs)`,
    );
    const json = await run(repo, "validate", a, b, "--json");
    expect(json.code).toBe(1);
    expect((JSON.parse(json.out) as { conflicts: string[] }).conflicts).toEqual([`${a} and ${b} both define gateway 'twice'; names must be unique`]);
    expect((await run(repo, "validate", a, c)).code).toBe(0);
  });

  it("is a plan error (exit 1) with the same sentence and no stack trace", async () => {
    const a = join(dir, "pa.ts");
    const b = join(dir, "pb.ts");
    await writeFile(a, definition("planned"));
    await writeFile(b, definition("planned"));
    const r = await run(repo, "plan", a, b);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `gatehouse plan: nothing planned; fix these first (gatehouse validate shows the same):\n  ${a} and ${b} both define gateway 'planned'; names must be unique`,
    );
    expect(r.out).toBe("");
  });
});

describe("unknown gateway, endpoint and connection names", () => {
  let project: string;
  let data: string;
  beforeAll(async () => {
    // A user's repository: definitions in gateways/, a data folder where `dev` never ran.
    project = join(dir, "project");
    data = join(project, ".gatehouse");
    await mkdir(join(project, "gateways"), { recursive: true });
    await writeFile(join(project, "gateways", "payments.ts"), definition("payments", ` id: "${OWN_ID}",`));
  });

  it("token create --gateway nosuch is an error listing the known gateways, and mints nothing", async () => {
    const r = await run(project, "token", "create", "--gateway", "nosuch", "--data", data);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `gatehouse token: no gateway 'nosuch'; known gateways: payments (from ${data}/gateways.json (written by gatehouse dev) and gateways/)\nusage: gatehouse token create`,
    );
    expect(r.out).toBe("");
    const listed = await run(project, "token", "list", "--gateway", "payments", "--data", data, "--json");
    expect(JSON.parse(listed.out)).toEqual([]);
  });

  it("token create --endpoints nosuch is an error listing the gateway's endpoints", async () => {
    const r = await run(project, "token", "create", "--gateway", "payments", "--endpoints", "stripe,nosuch,other", "--data", data);
    expect(r.code).toBe(2);
    expect(r.err).toContain("gatehouse token: gateway 'payments' has no endpoints 'nosuch', 'other'; endpoints: github, stripe");
    const empty = await run(project, "token", "create", "--gateway", "payments", "--endpoints", ",", "--data", data);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain("gatehouse token: --endpoints needs at least one endpoint slug, like --endpoints stripe,github");
  });

  it("token create with a definition in gateways/ (dev never ran) uses the definition's own id", async () => {
    const r = await run(project, "token", "create", "--gateway", "payments", "--endpoints", "stripe", "--data", data, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ gatewayId: OWN_ID, endpoints: ["stripe"] });
  });

  it("connect uses the definition's own id where dev never ran, and refuses unknown gateways and connections", async () => {
    const ok = await run(project, "connect", "payments", "gh", "--data", data);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`Open this link in a browser to connect 'gh' of gateway payments`);
    expect(ok.out).toMatch(new RegExp(`http://127\\.0\\.0\\.1:8787/api/${OWN_ID}/oauth/gh/start\\?session=`));
    expect(ok.out).not.toContain(gatewayIdFromName("payments"));

    const gateway = await run(project, "connect", "nosuch", "gh", "--data", data);
    expect(gateway.code).toBe(2);
    expect(gateway.err).toContain("gatehouse connect: no gateway 'nosuch'; known gateways: payments");
    const connection = await run(project, "connect", "payments", "slack", "--data", data);
    expect(connection.code).toBe(2);
    expect(connection.err).toContain("gatehouse connect: gateway 'payments' has no connection 'slack'; connections: gh\nusage: gatehouse connect");
    expect(connection.out).toBe("");
  });

  it("names recorded by dev come first, with their endpoints and connections", async () => {
    const other = join(dir, "recorded");
    await recordGateways(other, [{ name: "acme", id: gatewayIdFromName("acme"), endpoints: { echo: {} }, connections: {} }]);
    const r = await run(dir, "connect", "acme", "gh", "--data", other);
    expect(r.code).toBe(2);
    expect(r.err).toContain("gatehouse connect: gateway 'acme' has no connection 'gh'; it has no connections");
    const known = await run(dir, "token", "create", "--gateway", "nope", "--data", other);
    expect(known.code).toBe(2);
    expect(known.err).toContain(
      `gatehouse token: no gateway 'nope'; known gateways: acme (from ${other}/gateways.json (written by gatehouse dev) and gateways/)`,
    );
  });
});

describe("--stack-outputs reads what `pulumi stack output --json` writes", () => {
  const outputs = (name: string, suffix: string) => ({
    name,
    id: gatewayIdFromName(name),
    region: "eu-west-1",
    baseUrl: "https://abc.execute-api.eu-west-1.amazonaws.com",
    streamUrl: null,
    endpoints: { stripe: `https://abc.execute-api.eu-west-1.amazonaws.com/api/${gatewayIdFromName(name)}/proxy/stripe` },
    tables: {
      tokens: `${name}-tokens-${suffix}`,
      rateLimits: `${name}-rate-limits-${suffix}`,
      audit: `${name}-audit-${suffix}`,
      connections: `${name}-connections-${suffix}`,
    },
    keyArn: "arn:aws:kms:eu-west-1:123456789012:key/0",
  });

  it("chooses the gateway's own tables and region, by --gateway when there are several", async () => {
    const file = join(dir, "outputs.json");
    await writeFile(file, JSON.stringify({ gateways: { payments: outputs("payments", "1a2b"), search: outputs("search", "3c4d") } }, null, 4));
    const io = recordingIo(dir);
    const target = await storeTargetOf({ "stack-outputs": "outputs.json" }, io, "search");
    expect(target).toEqual({
      kind: "aws",
      region: "eu-west-1",
      tables: { tokens: "search-tokens-3c4d", rateLimits: "search-rate-limits-3c4d", audit: "search-audit-3c4d", connections: "search-connections-3c4d" },
    });
    await expect(storeTargetOf({ "stack-outputs": "outputs.json" }, io)).rejects.toThrow(
      "--stack-outputs outputs.json holds gateways payments, search; say which with --gateway <name>",
    );
    const parsed = await readStackOutputs(file);
    expect(parsed.gateways?.map((g) => [g.name, g.id, g.endpoints])).toEqual([
      ["payments", gatewayIdFromName("payments"), ["stripe"]],
      ["search", gatewayIdFromName("search"), ["stripe"]],
    ]);
  });

  it("is a usage error (exit 2) for an unknown gateway, a file that is not outputs, and a missing file", async () => {
    await writeFile(join(dir, "two.json"), JSON.stringify({ gateways: { payments: outputs("payments", "1a2b"), search: outputs("search", "3c4d") } }));
    const unknown = await run(dir, "token", "create", "--gateway", "nosuch", "--stack-outputs", "two.json");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("gatehouse token: no gateway 'nosuch'; known gateways: payments, search (from the stack outputs two.json and gateways/)");
    const revoke = await run(dir, "token", "revoke", "tok_x", "--stack-outputs", "two.json");
    expect(revoke.code).toBe(2);
    expect(revoke.err).toContain("gatehouse token: --stack-outputs two.json holds gateways payments, search; say which with --gateway <name>");

    await writeFile(join(dir, "other.json"), JSON.stringify({ url: "https://example.com" }));
    const other = await run(dir, "token", "list", "--gateway", gatewayIdFromName("payments"), "--stack-outputs", "other.json");
    expect(other.code).toBe(2);
    expect(other.err).toContain(
      'gatehouse token: --stack-outputs other.json has neither "gateways" (what `pulumi stack output --json > other.json` writes for the Gatehouse program) nor "tables"',
    );
    const missing = await run(dir, "audit", "--stack-outputs", "missing.json");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("gatehouse audit: --stack-outputs missing.json: no such file; write it with: pulumi stack output --json > missing.json");
  });
});
