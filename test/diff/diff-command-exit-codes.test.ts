import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { commitPaymentsChange, stripe } from "./support/payments.ts";
import { freshRepoEachTest, PROJECT_ROOT } from "./support/temp-repo.ts";

const run = promisify(execFile);

const repo = freshRepoEachTest();

describe("--fail-on widening", () => {
  it("exits 1 on a widening change and says why", async () => {
    commitPaymentsChange(repo, (d) => stripe(d).methods.push("DELETE"), "widen");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--fail-on", "widening");
    expect(result.code).toBe(1);
    expect(result.out).toContain("+ widening   DELETE is now allowed on `stripe`");
    expect(result.err).toBe("gatehouse diff: the change widens access (--fail-on widening)");
  });

  it("exits 0 on a narrowing change", async () => {
    commitPaymentsChange(repo, (d) => (stripe(d).methods = ["GET"]), "narrow");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--fail-on", "widening");
    expect(result.code).toBe(0);
    expect(result.out).toContain("- narrowing  POST is no longer allowed on `stripe`");
    expect(result.err).toBe("");
  });

  it("exits 0 without --fail-on even when access widens", async () => {
    commitPaymentsChange(repo, (d) => stripe(d).methods.push("DELETE"), "widen");
    expect((await repo.diff("--base", "HEAD~1", "--head", "HEAD")).code).toBe(0);
  });
});

describe("the installed command", () => {
  it("runs from a shell: tsx, the package's own name, and exit codes", async () => {
    commitPaymentsChange(repo, (d) => stripe(d).methods.push("DELETE"), "widen");
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
