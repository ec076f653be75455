import { buildDiffReport } from "../diff/build-report.ts";
import { countEffects, type DiffReport } from "../diff/change.ts";
import { DEFAULT_DEFINITION_FOLDERS, toRepoPath } from "../diff/definition-paths.ts";
import { renderJson } from "../diff/render-json.ts";
import { renderMarkdown } from "../diff/render-markdown.ts";
import { renderText } from "../diff/render-text.ts";
import { repoRoot } from "../diff/resolve-revisions.ts";
import { GitError } from "../diff/run-git.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import type { Command } from "../command.ts";
import { parseCommandArgs } from "../command-args.ts";

const RENDER: Record<string, (report: DiffReport) => string> = { text: renderText, markdown: renderMarkdown, json: renderJson };

/**
 * `gatehouse diff`: what a change does to access, in sentences, each classified as widening,
 * narrowing or neutral; with `--infra`, also what it does to the AWS resources. Exit 0; 1 when a
 * definition is invalid at head, the Pulumi program fails at head (`--infra`), or `--fail-on
 * widening` finds a widening (or widened IAM permissions); 2 for usage and git errors (an
 * unknown revision, not a repository).
 */
export const command: Command = {
  summary: "Explain what changed in the gateway definitions between two git revisions (widening, narrowing, neutral).",
  usage:
    "gatehouse diff [--base <git-rev>] [--head <git-rev>] [--format text|markdown|json] [--fail-on widening] [--infra] [--front-door api-gateway|function-url] [paths...]\n" +
    "  --base     default: origin/main if it exists, else HEAD; compared from its merge base with head\n" +
    "  --head     default: the working tree\n" +
    "  --infra    also compare the AWS resources (the Pulumi program under mocks at both sides; no Pulumi CLI; a few seconds)\n" +
    "  --fail-on  widening: exit 1 on any widening change (with --infra, also on widened IAM permissions)\n" +
    "  --front-door  plan the head with this front door (implies --infra): what switching it in the stack config would change\n" +
    `  paths      files or folders; default: the definition files (.ts, .mts, .cts, .js, .mjs, .cjs) below ${DEFAULT_DEFINITION_FOLDERS.join("/ and ")}/`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandLine(args);
    const render = RENDER[values.format];
    if (!render) throw new UsageError(`--format must be text, markdown or json, not '${values.format}'`);
    const failOn = values["fail-on"];
    if (failOn !== undefined && failOn !== "widening") throw new UsageError(`--fail-on takes 'widening', not '${failOn}'`);
    const frontDoor = values["front-door"];
    if (frontDoor !== undefined && frontDoor !== "api-gateway" && frontDoor !== "function-url")
      throw new UsageError(`--front-door must be api-gateway or function-url, not '${frontDoor}'`);

    let report: DiffReport;
    try {
      const root = await repoRoot(io.cwd);
      const paths = positionals.length ? positionals.map((p) => repoPath(root, io.cwd, p)) : [...DEFAULT_DEFINITION_FOLDERS];
      report = await buildDiffReport({
        root,
        base: values.base,
        head: values.head,
        paths,
        explicitPaths: positionals.length > 0,
        infra: values.infra || frontDoor !== undefined,
        ...(frontDoor ? { headFrontDoor: frontDoor } : {}),
      });
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      io.err(`gatehouse diff: ${error.message}`);
      return EXIT.usage;
    }
    io.out(render(report));
    // The program failing at head means `pulumi up` would fail: as serious as an invalid definition.
    if (report.problems.some((p) => p.side === "head") || report.infra?.problems.some((p) => p.side === "head")) return EXIT.failed;
    if (failOn === "widening" && countEffects(report).widening > 0) {
      io.err("gatehouse diff: the change widens access (--fail-on widening)");
      return EXIT.failed;
    }
    if (failOn === "widening" && (report.infra?.summary.permissionsWidened ?? 0) > 0) {
      io.err("gatehouse diff: the change widens the function role's IAM permissions (--fail-on widening)");
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};

// node:util's own errors (unknown option, missing value) reach `main`, which words them: exit 2.
function parseCommandLine(args: string[]) {
  return parseCommandArgs(args, {
    base: { type: "string" },
    head: { type: "string" },
    format: { type: "string", default: "text" },
    "fail-on": { type: "string" },
    infra: { type: "boolean", default: false },
    "front-door": { type: "string" },
  });
}

function repoPath(root: string, cwd: string, path: string): string {
  const rel = toRepoPath(root, cwd, path);
  if (rel === null) throw new UsageError(`'${path}' is outside the repository ${root}`);
  return rel;
}
