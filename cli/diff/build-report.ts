import type { Gateway } from "../../schema/gateway.ts";
import { UsageError } from "../io.ts";
import type { LoadedFile } from "../../loader/load-definition-file.ts";
import type { DiffProblem, DiffReport } from "./change.ts";
import { diffGateways } from "./diff-gateways.ts";
import { loadRevision, pathExists } from "./load-revision.ts";
import { resolveRevisions } from "./resolve-revisions.ts";

/** What to compare: repository-relative paths, and the revisions as the user named them. */
export interface DiffRequest {
  root: string;
  base?: string | undefined;
  head?: string | undefined;
  paths: string[];
  /** True when the user named the paths: a path found at neither side is then a mistake. */
  explicitPaths: boolean;
  /** Also compare the infrastructure (the Pulumi program under mocks at both sides; takes seconds). */
  infra?: boolean;
  /** With `infra`: plan the head with this front door (the Gateway option `frontDoor`), the base as configured. */
  headFrontDoor?: "api-gateway" | "function-url";
}

interface Side {
  gateways: Gateway[];
  /** Where each gateway came from, by name. */
  fileOf: Map<string, string>;
  failedFiles: Set<string>;
  problems: DiffProblem[];
}

/**
 * Loads the definitions at both revisions and compares them. A file that fails at head is a
 * problem (the command exits 1) and its gateways are left out of the comparison rather than shown
 * as removed. A file that fails at base (say the schema got stricter since) is reported too, and
 * its gateways are shown as added, so a reviewer sees all of them rather than nothing. With
 * `infra`, the same two sets of gateways are planned under mocks and their resources compared.
 */
export async function buildDiffReport(request: DiffRequest): Promise<DiffReport> {
  const { root, paths } = request;
  const revisions = await resolveRevisions(root, { base: request.base, head: request.head });
  const { base, head } = revisions;
  if (request.explicitPaths) {
    for (const path of paths) {
      const found = (await pathExists(root, base.commit, path)) || (await pathExists(root, head.commit, path));
      if (!found) throw new UsageError(`'${path || "."}' exists neither at ${base.label} nor in ${head.label}`);
    }
  }
  const before = collect(await loadRevision(root, base.commit, paths), "base");
  const after = collect(await loadRevision(root, head.commit, paths), "head");
  const notes = [...revisions.notes];
  const comparable = before.gateways.filter((g) => !after.failedFiles.has(before.fileOf.get(g.name)!));
  for (const file of [...before.failedFiles].sort()) notes.push(`${file} could not be loaded at ${base.label}; its gateways are shown as added`);
  for (const file of [...after.failedFiles].sort()) notes.push(`${file} could not be loaded in ${head.label}; its gateways are left out of the comparison`);
  if (before.gateways.length + after.gateways.length + before.failedFiles.size + after.failedFiles.size === 0) {
    notes.push(`no definition files found in ${paths.map((p) => p || ".").join(", ")}`);
  }
  const gateways = diffGateways(comparable, after.gateways, { before: before.fileOf, after: after.fileOf });
  const report: DiffReport = { base, head, gateways, problems: [...after.problems, ...before.problems], notes };
  if (request.infra) {
    // Loaded only when asked for: Pulumi's runtime and esbuild take seconds to load and run.
    const { buildInfraReport } = await import("./build-infra-report.ts");
    report.infra = await buildInfraReport(
      comparable,
      after.gateways,
      new Set(gateways.map((g) => g.name)),
      request.headFrontDoor ? { frontDoor: request.headFrontDoor } : {},
    );
  }
  return report;
}

function collect(files: LoadedFile[], side: DiffProblem["side"]): Side {
  const result: Side = { gateways: [], fileOf: new Map(), failedFiles: new Set(), problems: [] };
  for (const loaded of files) {
    if (!loaded.ok) {
      result.failedFiles.add(loaded.file);
      result.problems.push(...loaded.issues.map((issue) => ({ side, file: loaded.file, path: issue.path, message: issue.message })));
      continue;
    }
    for (const gateway of loaded.gateways) {
      const earlier = result.fileOf.get(gateway.name);
      if (earlier !== undefined) {
        result.problems.push({
          side,
          file: loaded.file,
          path: "name",
          message: `gateway '${gateway.name}' is also defined in ${earlier}; names must be unique`,
        });
        continue;
      }
      result.fileOf.set(gateway.name, loaded.file);
      result.gateways.push(gateway);
    }
  }
  return result;
}
