import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import type { Command } from "../command.ts";
import { parseCommandArgs } from "../command-args.ts";
import { scaffoldFiles } from "../init/scaffold.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";

/** `gatehouse init [dir]`: a new infrastructure repository; never overwrites a file. */
export const command: Command = {
  summary: "Scaffold an infrastructure repository: definitions, Pulumi program, policy pack, CI workflow (never overwrites).",
  usage: "gatehouse init [dir]\n  dir  the repository folder (default: the current folder); files that exist are left as they are",
  async run(args: string[], io: CliIo): Promise<number> {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length > 1) throw new UsageError("name one folder");
    const dir = resolve(io.cwd, positionals[0] ?? ".");
    const info = await stat(dir).catch(() => null);
    if (info && !info.isDirectory()) throw new UsageError(`${positionals[0]} is a file, not a folder`);

    const created: string[] = [];
    const skipped: string[] = [];
    for (const file of await scaffoldFiles(dir)) {
      const target = join(dir, ...file.path.split("/"));
      await mkdir(dirname(target), { recursive: true });
      try {
        // "wx": fails if the path exists, so nothing a user wrote is ever replaced, even in a race.
        await writeFile(target, file.text, { flag: "wx" });
        created.push(file.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        skipped.push(file.path);
      }
    }

    const shown = relative(io.cwd, dir) || ".";
    io.out(`Gatehouse repository in ${shown}:`);
    for (const path of created) io.out(`  created  ${path}`);
    for (const path of skipped) io.out(`  skipped  ${path} (exists; left as it is)`);
    if (skipped.includes("package.json")) {
      io.out("\npackage.json was there already: add what the scaffold needs with");
      io.out("  npm install gatehouse-gateway @pulumi/pulumi @pulumi/aws && npm install --save-dev tsx typescript @types/node");
      io.out('  and "type": "module" (index.ts awaits at the top level) plus the validate, plan and diff scripts.');
    }
    io.out(nextSteps(shown));
    return EXIT.ok;
  },
};

function nextSteps(dir: string): string {
  return [
    "",
    "Next steps:",
    ...(dir === "." ? [] : [`  cd ${dir}`]),
    "  npm install && npm install --prefix policy        # commit both package-lock.json files: CI runs npm ci",
    "  npm run validate                                  # check gateways/*.ts",
    "  npx gatehouse dev gateways/example.ts             # serve it on http://127.0.0.1:8787",
    "  npx gatehouse token create --gateway example --label my-app",
    "  pulumi stack init dev && pulumi config set aws:region eu-west-1",
    "  pulumi preview --policy-pack policy               # then pulumi up",
    "  pulumi stack output --json > outputs.json         # then --stack-outputs outputs.json for token, audit, connect",
    "CI: .github/workflows/gatehouse.yml needs the AWS_ROLE_ARN variable (GitHub OIDC) for its preview; see its header.",
  ].join("\n");
}
