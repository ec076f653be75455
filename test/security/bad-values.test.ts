import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, secret, DefinitionError } from "gatehouse-gateway";
import { LocalSecretBox } from "../../functions/adapters/local/local-secret-box.ts";
import { SealedSecretSource } from "../../functions/adapters/local/sealed-secret-source.ts";
import { diffEndpoint } from "../../cli/diff/diff-endpoint.ts";
import { main } from "../../cli/main.ts";
import { startHarness } from "../helpers/harness.ts";
import { recordingIo } from "../helpers/recording-io.ts";
import { send } from "../helpers/send.ts";
import { startUpstream } from "../helpers/upstream-stub.ts";

// Issue 15 item 7: values that validated and then made every request fail, or widened the
// method allowlist without a word.

const repo = join(import.meta.dirname, "..", "..");
const SMUGGLED = "k-123\r\nX-Injected: yes";
let dir: string;

beforeAll(async () => {
  await mkdir(join(repo, ".gatehouse"), { recursive: true });
  dir = await mkdtemp(join(repo, ".gatehouse", "bad-values-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const keyed = (name: string) =>
  defineGateway({
    name,
    endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"], headers: { inject: { "x-api-key": secret("API_KEY") } } } },
  });

describe("a secret value a header cannot carry", () => {
  it("is refused at start, naming the secret and its gateway, never printing the value", async () => {
    const box = new LocalSecretBox(Buffer.alloc(32, 1));
    const error = await SealedSecretSource.seal(box, [keyed("acme")], { API_KEY: SMUGGLED }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain("API_KEY (gateway acme)");
    expect(error!.message).toMatch(/line break|control character/);
    expect(error!.message).not.toContain("k-123");
    expect(error!.message).not.toContain("X-Injected");
  });

  it("revealed at request time anyway (another secret source): 503 SECRET_UNAVAILABLE, nothing forwarded", async () => {
    const upstream = await startUpstream();
    const h = await startHarness(
      {
        name: "acme",
        endpoints: {
          api: {
            upstream: `${upstream.url}/v1`,
            methods: ["GET"],
            headers: { inject: { "x-api-key": secret("API_KEY") } },
            unsafeAllowPrivateNetworks: ["127.0.0.1/32"],
          },
        },
      },
      { secrets: { API_KEY: SMUGGLED } },
    );
    try {
      const res = await send(h.url("api", "/x"), { headers: { authorization: `Bearer ${(await h.token()).token}` } });
      expect(res.status).toBe(503);
      expect(res.json().code).toBe("SECRET_UNAVAILABLE");
      expect(res.text).not.toContain("k-123");
      expect(upstream.seen).toHaveLength(0);
    } finally {
      await h.close();
      await upstream.close();
    }
  });
});

describe("headers.forward", () => {
  it("listing expect is a definition error", () => {
    let error: unknown;
    try {
      defineGateway({
        name: "acme",
        endpoints: { api: { upstream: "https://api.example.com", methods: ["POST"], headers: { forward: ["content-type", "Expect"] } } },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).issues).toEqual([
      { path: "endpoints.api.headers.forward[1]", message: expect.stringContaining("'Expect' can never be forwarded") },
    ]);
  });

  it("a method-override header gives a validate warning (exit 0), in text and JSON", async () => {
    const file = join(dir, "override.ts");
    await writeFile(
      file,
      `import { defineGateway } from "gatehouse-gateway";\nexport default defineGateway({ name: "ovr", endpoints: { api: { upstream: "https://api.example.com", methods: ["GET", "POST"], headers: { forward: ["content-type", "X-HTTP-Method-Override"] } } } });\n`,
    );
    const io = recordingIo(dir);
    expect(await main(["validate", file], io)).toBe(0);
    expect(io.stdout()).toContain("! endpoints.api.headers.forward: 'x-http-method-override' lets clients choose the method the upstream acts on");
    const json = recordingIo(dir);
    expect(await main(["validate", file, "--json"], json)).toBe(0);
    expect(JSON.parse(json.stdout()).files[0].warnings).toEqual([
      { path: "endpoints.api.headers.forward", message: expect.stringContaining("past the endpoint's methods (GET, POST)") },
    ]);
  });

  it.each(["X-HTTP-Method-Override", "X-Method-Override", "X-HTTP-Method"])("diff classes adding %s as a widening method-override change", (header) => {
    const before = defineGateway({
      name: "acme",
      endpoints: { api: { upstream: "https://api.example.com", methods: ["POST"], headers: { forward: ["content-type"] } } },
    });
    const after = defineGateway({
      name: "acme",
      endpoints: { api: { upstream: "https://api.example.com", methods: ["POST"], headers: { forward: ["content-type", header] } } },
    });
    const changes = diffEndpoint(before.endpoints.api!, after.endpoints.api!);
    const override = changes.find((c) => c.kind === "method-override");
    expect(override).toMatchObject({ effect: "widening", alert: true });
    expect(override!.text).toContain(header.toLowerCase());
  });
});
