import { describe, expect, it } from "vitest";
import { gatewayIdFromName } from "../../schema/gateway-id.ts";
import { payments, stripe } from "./support/payments.ts";
import { freshRepoEachTest, definitionSource, secretRef } from "./support/temp-repo.ts";

const repo = freshRepoEachTest();

describe("secrets", () => {
  it("a secret's value changing outside the definition shows nothing", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.write("secrets.local.env", "STRIPE_BEARER=sk_live_old_value\n");
    repo.commit("base");
    repo.write("secrets.local.env", "STRIPE_BEARER=sk_live_new_value\n");
    repo.commit("rotate the key");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/: 0 widening, 0 narrowing, 0 neutral\nno policy changes$/);
    expect(result.out).not.toContain("sk_live");
  });

  it("a secret's name changing shows, and no value ever does", async () => {
    repo.write(
      "gateways/payments.ts",
      payments((d) => (stripe(d).headers!.inject!["x-mode"] = "test-mode-literal")),
    );
    repo.commit("base");
    repo.write(
      "gateways/payments.ts",
      payments((d) => (stripe(d).headers!.inject = { authorization: secretRef("STRIPE_LIVE_KEY"), "x-mode": "live-mode-literal" })),
    );
    repo.commit("switch to the live key");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--format", "markdown");
    expect(result.out).toContain(
      "- ⚠️ **widening**: header `authorization` injected on `stripe` now comes from secret `STRIPE_LIVE_KEY` instead of secret `STRIPE_BEARER`",
    );
    expect(result.out).toContain("- ➖ neutral: literal value of header `x-mode` injected on `stripe` changed (values are not shown)");
    expect(result.out).not.toMatch(/mode-literal/);
  });
});

describe("gateways", () => {
  it("a gateway added in a new file, and one removed", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.write(
      "gateways/old.ts",
      payments((d) => (d.name = "old")),
    );
    repo.commit("base");
    repo.remove("gateways/old.ts");
    repo.write(
      "gateways/search.ts",
      definitionSource({ name: "search", endpoints: { web: { upstream: "https://api.search.example/v1", methods: ["GET"], rateLimit: { perMinute: 10 } } } }),
    );
    repo.commit("head");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD");
    expect(result.out.split("\n").slice(1)).toEqual([
      "",
      "gateway old",
      "  - narrowing  gateway `old` was removed (endpoints `stripe` stop answering)",
      "",
      "gateway search",
      `  + widening   gateway \`search\` was added (id ${gatewayIdFromName("search")}; endpoints \`web\`)`,
      "  + widening   endpoint `web` was added (upstream https://api.search.example/v1; methods GET)",
    ]);
  });

  it("moving a gateway to another file and reordering its keys shows nothing", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.commit("base");
    repo.remove("gateways/payments.ts");
    repo.write(
      "gateways/billing/stripe.ts",
      definitionSource({
        endpoints: {
          stripe: {
            rateLimit: { perMinute: 60 },
            headers: { inject: { Authorization: secretRef("STRIPE_BEARER") } },
            methods: ["post", "get"],
            upstream: "https://api.stripe.com/v1/",
          },
        },
        name: "payments",
      }),
    );
    repo.commit("move");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--format", "markdown");
    expect(result.out).toBe(
      `<!-- gatehouse-diff -->\n## Gatehouse policy diff\n\n\`HEAD~1\` (${repo.git("rev-parse", "--short=7", "HEAD~1")}) → \`HEAD\` (${repo.git("rev-parse", "--short=7", "HEAD")}): 0 widening, 0 narrowing, 0 neutral.\n\nNo policy changes.\n`,
    );
  });

  it("a definition invalid at head is reported and exits 1; its gateways are not shown as removed", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.commit("base");
    repo.write(
      "gateways/payments.ts",
      payments((d) => stripe(d).methods.push("TRACE" as never)),
    );
    const result = await repo.diff("--fail-on", "widening");
    expect(result.code).toBe(1);
    expect(result.out.split("\n")).toEqual([
      expect.stringMatching(/: 0 widening, 0 narrowing, 0 neutral$/),
      "",
      "problems:",
      "  ✗ gateways/payments.ts (head): endpoints.stripe.methods[2]: 'TRACE' is not an allowed method; use GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
      "note: gateways/payments.ts could not be loaded in working tree; its gateways are left out of the comparison",
    ]);
  });

  it("a definition invalid at base is a note; its gateways show as added and the exit is 0", async () => {
    repo.write(
      "gateways/payments.ts",
      payments((d) => (stripe(d).methods = ["GET", "FETCH" as "GET"])),
    );
    repo.commit("broken base");
    repo.write("gateways/payments.ts", payments());
    const result = await repo.diff("--format", "json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as { gateways: Array<{ changes: Array<{ text: string }> }>; problems: Array<{ side: string }>; notes: string[] };
    expect(report.gateways[0]!.changes[0]!.text).toBe(`gateway \`payments\` was added (id ${gatewayIdFromName("payments")}; endpoints \`stripe\`)`);
    expect(report.problems.map((p) => p.side)).toEqual(["base"]);
    expect(report.notes).toEqual(["gateways/payments.ts could not be loaded at HEAD; its gateways are shown as added"]);
  });

  it("the same gateway name in two files at head is a problem", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.commit("base");
    repo.write("gateways/copy.ts", payments());
    const result = await repo.diff();
    expect(result.code).toBe(1);
    expect(result.out).toContain("  ✗ gateways/payments.ts (head): name: gateway 'payments' is also defined in gateways/copy.ts; names must be unique");
  });
});

describe("markdown for a pull request", () => {
  it("has a heading, a summary line and a section per gateway with marked bullets", async () => {
    repo.write(
      "gateways/payments.ts",
      payments(
        (d) =>
          (d.endpoints.internal = {
            upstream: "http://10.0.0.5/api",
            methods: ["GET"],
            unsafeAllowPrivateNetworks: ["10.0.0.5/32"],
            rateLimit: { perMinute: 5 },
          }),
      ),
    );
    const base = repo.commit("base");
    repo.write(
      "gateways/payments.ts",
      payments((d) => {
        stripe(d).methods.push("DELETE");
        stripe(d).rateLimit = { perMinute: 30 };
        stripe(d).timeoutSeconds = 20;
        d.endpoints.internal = {
          upstream: "http://10.0.0.5/api",
          methods: ["GET"],
          unsafeAllowPrivateNetworks: ["10.0.0.5/32", "10.0.1.0/24"],
          rateLimit: { perMinute: 5 },
        };
      }),
    );
    const head = repo.commit("head");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--format", "markdown");
    expect(result.out).toBe(
      [
        "<!-- gatehouse-diff -->",
        "## Gatehouse policy diff",
        "",
        `\`HEAD~1\` (${base.slice(0, 7)}) → \`HEAD\` (${head.slice(0, 7)}): **2 widening**, 1 narrowing, 1 neutral.`,
        "",
        "> [!WARNING]",
        "> This change widens what the gateways allow. Review each ⚠️ line.",
        "",
        "### Gateway `payments`",
        "",
        "- 🚨 ⚠️ **widening**: `internal` may now reach private network `10.0.1.0/24` (unsafeAllowPrivateNetworks)",
        "- ⚠️ **widening**: DELETE is now allowed on `stripe`",
        "- ➖ neutral: timeout on `stripe` lowered from 29 s to 20 s",
        "- ✅ narrowing: rate limit perMinute on `stripe` lowered from 60 to 30",
        "",
      ].join("\n"),
    );
  });
});
