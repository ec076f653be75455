import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../cli/io.ts";
import { main } from "../../cli/main.ts";
import type { GatewayInput } from "../../schema/gateway.ts";
import { gatewayIdFromName } from "../../schema/gateway-id.ts";
import { createTempRepo, definitionSource, PROJECT_ROOT, secretRef, type TempRepo } from "./temp-repo.ts";

const run = promisify(execFile);

function payments(edit: (d: GatewayInput) => void = () => {}): string {
  const d: GatewayInput = {
    name: "payments",
    endpoints: {
      stripe: {
        upstream: "https://api.stripe.com/v1",
        methods: ["GET", "POST"],
        headers: { inject: { authorization: secretRef("STRIPE_BEARER") } },
        rateLimit: { perMinute: 60 },
      },
    },
  };
  edit(d);
  return definitionSource(d);
}

const stripe = (d: GatewayInput) => d.endpoints.stripe!;

let repo: TempRepo;
beforeEach(() => {
  repo = createTempRepo();
});
afterEach(() => repo.cleanup());

describe("--fail-on widening", () => {
  it("exits 1 on a widening change and says why", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.commit("base");
    repo.write(
      "gateways/payments.ts",
      payments((d) => stripe(d).methods.push("DELETE")),
    );
    repo.commit("widen");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--fail-on", "widening");
    expect(result.code).toBe(1);
    expect(result.out).toContain("+ widening   DELETE is now allowed on `stripe`");
    expect(result.err).toBe("gatehouse diff: the change widens access (--fail-on widening)");
  });

  it("exits 0 on a narrowing change", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.commit("base");
    repo.write(
      "gateways/payments.ts",
      payments((d) => (stripe(d).methods = ["GET"])),
    );
    repo.commit("narrow");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--fail-on", "widening");
    expect(result.code).toBe(0);
    expect(result.out).toContain("- narrowing  POST is no longer allowed on `stripe`");
    expect(result.err).toBe("");
  });

  it("exits 0 without --fail-on even when access widens", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.commit("base");
    repo.write(
      "gateways/payments.ts",
      payments((d) => stripe(d).methods.push("DELETE")),
    );
    repo.commit("widen");
    expect((await repo.diff("--base", "HEAD~1", "--head", "HEAD")).code).toBe(0);
  });
});

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

describe("revisions and paths", () => {
  it("compares the working tree with HEAD when there is no origin/main", async () => {
    repo.write("gateways/payments.ts", payments());
    const head = repo.commit("base");
    repo.write(
      "gateways/payments.ts",
      payments((d) => (stripe(d).rateLimit = { perMinute: 120 })),
    );
    const result = await repo.diff();
    expect(result.out.split("\n")[0]).toBe(`gatehouse diff: HEAD (${head.slice(0, 7)}) -> the working tree: 1 widening, 0 narrowing, 0 neutral`);
    expect(result.out).toContain("rate limit perMinute on `stripe` raised from 60 to 120");
  });

  it("defaults the base to origin/main and compares from the merge base", async () => {
    repo.write("gateways/payments.ts", payments());
    const fork = repo.commit("base");
    // main moves on after the branch forked: that change must not show as reverted by the branch.
    repo.write(
      "gateways/payments.ts",
      payments((d) => (stripe(d).timeoutSeconds = 5)),
    );
    repo.git("update-ref", "refs/remotes/origin/main", repo.commit("on main"));
    repo.git("checkout", "-q", "-b", "feature", fork);
    repo.write(
      "gateways/payments.ts",
      payments((d) => stripe(d).methods.push("PATCH")),
    );
    repo.commit("on the branch");
    const result = await repo.diff("--format", "json");
    const report = JSON.parse(result.out) as { base: { label: string; commit: string }; gateways: Array<{ changes: Array<{ text: string }> }> };
    expect(report.base).toEqual({ label: "origin/main", commit: fork });
    expect(report.gateways.flatMap((g) => g.changes.map((c) => c.text))).toEqual(["PATCH is now allowed on `stripe`"]);
  });

  it("an unknown revision exits 2 with one clear line", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.commit("base");
    const result = await repo.diff("--base", "no-such-branch");
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err).toBe("gatehouse diff: unknown revision 'no-such-branch': no branch, tag or commit by that name (in CI, fetch with fetch-depth: 0)");
  });

  it("outside a git repository exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-no-git-"));
    try {
      const err: string[] = [];
      const io: CliIo = { out: () => {}, err: (t) => err.push(t), cwd: dir, env: {} };
      expect(await main(["diff"], io)).toBe(2);
      expect(err.join("\n")).toBe(`gatehouse diff: ${dir} is not inside a git repository (gatehouse diff reads definitions from git)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("wrong options exit 2", async () => {
    repo.commit("empty");
    expect((await repo.diff("--format", "html")).code).toBe(2);
    expect((await repo.diff("--fail-on", "narrowing")).code).toBe(2);
    expect((await repo.diff("--no-such-option")).code).toBe(2);
  });

  it("a named path that exists at neither revision exits 2", async () => {
    repo.commit("empty");
    const result = await repo.diff("--base", "HEAD", "gateways/nope.ts");
    expect(result.code).toBe(2);
    expect(result.err.split("\n")[0]).toBe("gatehouse diff: 'gateways/nope.ts' exists neither at HEAD nor in working tree");
  });

  it("named paths limit the comparison, relative to the working directory", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.write(
      "gateways/other.ts",
      payments((d) => (d.name = "other")),
    );
    repo.commit("base");
    repo.write(
      "gateways/payments.ts",
      payments((d) => stripe(d).methods.push("PUT")),
    );
    repo.write(
      "gateways/other.ts",
      payments((d) => ((d.name = "other"), stripe(d).methods.push("DELETE"))),
    );
    repo.commit("both change");
    const out: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: () => {}, cwd: join(repo.dir, "gateways"), env: {} };
    expect(await main(["diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", "payments.ts"], io)).toBe(0);
    const report = JSON.parse(out.join("")) as { gateways: Array<{ name: string }> };
    expect(report.gateways.map((g) => g.name)).toEqual(["payments"]);
  });

  it("reads gateways/ and examples/ by default, follows helper imports at a past revision, and cleans up", async () => {
    repo.write("gateways/shared.ts", 'export const STRIPE = "https://api.stripe.com/v1";\n');
    repo.write(
      "gateways/payments.ts",
      payments()
        .replace('"https://api.stripe.com/v1"', "STRIPE")
        .replace('from "gatehouse-gateway";', 'from "gatehouse-gateway";\nimport { STRIPE } from "./shared.ts";'),
    );
    repo.write(
      "examples/demo/gateway.ts",
      payments((d) => (d.name = "demo")),
    );
    repo.write(
      "other/ignored.ts",
      payments((d) => (d.name = "ignored")),
    );
    repo.commit("base");
    repo.write("gateways/shared.ts", 'export const STRIPE = "https://api.stripe.com/v2";\n');
    repo.remove("examples/demo/gateway.ts");
    repo.remove("other/ignored.ts");
    repo.commit("head");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--format", "json");
    const report = JSON.parse(result.out) as { gateways: Array<{ name: string; changes: Array<{ effect: string; text: string }> }> };
    expect(report.gateways).toEqual([
      {
        name: "demo",
        changes: [{ effect: "narrowing", kind: "gateway", subject: "gateway", text: "gateway `demo` was removed (endpoints `stripe` stop answering)" }],
      },
      {
        name: "payments",
        changes: [{ effect: "neutral", kind: "upstream-path", subject: "endpoint:stripe", text: "upstream path of `stripe` changed from /v1 to /v2" }],
      },
    ]);
    expect(readdirSync(join(repo.dir, ".gatehouse", "tmp"))).toEqual([]);
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

describe("the installed command", () => {
  it("runs from a shell: tsx, the package's own name, and exit codes", async () => {
    repo.write("gateways/payments.ts", payments());
    repo.commit("base");
    repo.write(
      "gateways/payments.ts",
      payments((d) => stripe(d).methods.push("DELETE")),
    );
    repo.commit("widen");
    const bin = join(PROJECT_ROOT, "cli", "bin.mjs");
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("GIT_") && !key.startsWith("VITEST")));
    const failed = await run(process.execPath, [bin, "diff", "--base", "HEAD~1", "--head", "HEAD", "--fail-on", "widening"], { cwd: repo.dir, env }).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain("+ widening   DELETE is now allowed on `stripe`");
    expect(failed?.stderr).toBe("gatehouse diff: the change widens access (--fail-on widening)\n");
  });
});
