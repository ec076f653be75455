import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempRepo, PROJECT_ROOT, type TempRepo } from "./support/temp-repo.ts";

const definition = (methods: string) => `import { defineGateway } from "gatehouse-gateway";
export default defineGateway({ name: "billing", endpoints: { stripe: { upstream: "https://api.stripe.com/v1", methods: [${methods}], rateLimit: { perMinute: 60 } } } });
`;

describe('gatehouse diff in a CommonJS repository (npm init -y: no "type")', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = createTempRepo();
    // What `npm init -y` writes, and gatehouse-gateway installed the way npm links a local package.
    repo.write("package.json", `${JSON.stringify({ name: "billing-infra", version: "1.0.0", main: "index.js", license: "ISC" }, null, 2)}\n`);
    repo.write(".gitignore", "node_modules/\n");
    mkdirSync(join(repo.dir, "node_modules"), { recursive: true });
    symlinkSync(PROJECT_ROOT, join(repo.dir, "node_modules", "gatehouse-gateway"), "dir");
  });
  afterAll(() => repo.cleanup());

  it("loads both revisions (.ts and .cts) and classifies the change", async () => {
    repo.write("gateways/billing.ts", definition('"GET"'));
    repo.write("gateways/search.cts", definition('"GET"').replace('"billing"', '"search"'));
    repo.commit("before");
    repo.write("gateways/billing.ts", definition('"GET", "POST"'));
    repo.write("gateways/search.cts", definition('"GET", "DELETE"').replace('"billing"', '"search"'));
    repo.commit("after");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--format", "json", "--fail-on", "widening");
    expect(result.err).toBe("gatehouse diff: the change widens access (--fail-on widening)");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as { problems: unknown[]; gateways: Array<{ name: string; changes: Array<{ effect: string; text: string }> }> };
    expect(report.problems).toEqual([]);
    expect(report.gateways.map((g) => [g.name, g.changes.map((c) => [c.effect, c.text])])).toEqual([
      ["billing", [["widening", "POST is now allowed on `stripe`"]]],
      ["search", [["widening", "DELETE is now allowed on `stripe`"]]],
    ]);
  });
});
