import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../cli/io.ts";
import { main } from "../../cli/main.ts";
import { payments, stripe } from "./support/payments.ts";
import { freshRepoEachTest } from "./support/temp-repo.ts";

const repo = freshRepoEachTest();

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
