import type { ImportEdge, SourceFacts } from "./read-imports.ts";

/** A forbidden edge: which file, which line, what it reaches, and the rule it breaks. */
export interface Violation {
  file: string;
  line: number;
  edge: string;
  rule: string;
}

/** The parts of the tree the rule speaks of. Everything else is named by its top-level folder. */
type Area = "schema" | "contracts" | "ports" | "tokens" | "engine" | "oauth" | "adapters" | "front-door" | "infra" | "cli" | "policy" | "loader" | "other";

/** The area of a repository path. */
export function areaOf(path: string): Area {
  const [top, second] = path.split("/");
  if (top === "functions") {
    switch (second) {
      case "contracts":
        return "contracts";
      case "ports":
        return "ports";
      case "tokens":
        return "tokens";
      case "engine":
        return "engine";
      case "oauth":
        return "oauth";
      case "adapters":
        return "adapters";
      case "front-doors":
        return "front-door";
      default:
        return "other";
    }
  }
  if (top === "schema" || top === "infra" || top === "cli" || top === "policy" || top === "loader") return top;
  return "other";
}

/** A composition root: a `wire-*` module, the only kind of file outside adapters that picks them. */
export function isWireModule(path: string): boolean {
  return /(^|\/)wire-[^/]+$/.test(path);
}

/** The pure core: runs unchanged on any JavaScript runtime with web-standard APIs. */
const PURE: ReadonlySet<Area> = new Set(["engine", "ports", "tokens"]);

/** What each area may import from the repository (its own area is always allowed). */
const MAY_IMPORT: Partial<Record<Area, ReadonlySet<Area>>> = {
  schema: new Set(),
  contracts: new Set(["schema"]),
  ports: new Set(["schema"]),
  tokens: new Set(["schema", "ports"]),
  engine: new Set(["schema", "ports", "tokens"]),
  adapters: new Set(["schema", "contracts", "ports", "tokens"]),
  policy: new Set(["schema", "contracts"]),
  loader: new Set(["schema"]),
};

/** Areas `infra/` must never reach, whatever else it imports. */
const INFRA_NEVER: ReadonlySet<Area> = new Set(["adapters", "cli", "front-door", "engine", "oauth"]);

const FILE_RULES: Array<(file: SourceFacts, edge: ImportEdge) => string | null> = [
  (file, edge) => {
    const from = areaOf(file.path);
    if (!PURE.has(from)) return null;
    if (edge.target.kind === "node") return `the ${from} is runtime-neutral: no Node built-ins (use web-standard APIs)`;
    if (edge.target.kind === "package") return `the ${from} depends on no package`;
    return null;
  },
  (file, edge) => {
    if (edge.target.kind !== "file") return null;
    const from = areaOf(file.path);
    const to = areaOf(edge.target.path);
    const allowed = MAY_IMPORT[from];
    if (!allowed || to === from || allowed.has(to)) return null;
    if (from === "schema") return "schema/ imports nothing above it";
    return `${from} may import only ${[...allowed].join(", ") || "itself"}`;
  },
  (file, edge) => {
    if (edge.target.kind !== "file" || areaOf(edge.target.path) !== "adapters") return null;
    const from = areaOf(file.path);
    if (from === "adapters" || from === "cli" || from === "other" || isWireModule(file.path)) return null;
    return "only a front door's wire module picks implementations (adapters)";
  },
  (file, edge) => {
    if (areaOf(file.path) !== "infra" || edge.target.kind !== "file") return null;
    const to = areaOf(edge.target.path);
    return INFRA_NEVER.has(to) ? `infra/ imports schema/, contracts and the definition loader, never ${to}` : null;
  },
  (file, edge) => {
    if (edge.target.kind !== "file" || !edge.target.path.startsWith("cli/commands/")) return null;
    if (file.path === "cli/main.ts" || file.path.startsWith("cli/commands/")) return null;
    return "commands are leaves: only cli/main.ts dispatches to them (share code through a module of its own)";
  },
  (file, edge) => {
    if (edge.target.kind !== "file" || edge.target.path !== "cli/main.ts" || file.path === "cli/bin.mjs") return null;
    return "cli/main.ts is the entry: nothing imports it (shared types live in their own files)";
  },
];

/**
 * Checks every file against the dependency rule (README, "Layout"): one violation per forbidden
 * import or Node-only global, plus one per cycle between top-level packages.
 */
export function checkDependencies(files: SourceFacts[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    for (const edge of file.imports) {
      for (const rule of FILE_RULES) {
        const broken = rule(file, edge);
        if (broken) violations.push({ file: file.path, line: edge.line, edge: describe(edge), rule: broken });
      }
    }
    const area = areaOf(file.path);
    if (PURE.has(area)) {
      for (const use of file.nodeGlobals) {
        violations.push({ file: file.path, line: use.line, edge: use.name, rule: `the ${area} uses no Node-only global or type (web-standard APIs only)` });
      }
    }
  }
  violations.push(...packageCycles(files));
  return violations;
}

function describe(edge: ImportEdge): string {
  return edge.target.kind === "file" ? edge.target.path : edge.specifier;
}

/**
 * Cycles in the graph of top-level packages (schema, functions, infra, cli, policy, ...), each
 * reported once with one file edge per step so the message says where to cut.
 */
function packageCycles(files: SourceFacts[]): Violation[] {
  const top = (path: string) => path.split("/")[0]!;
  const packages = new Set(files.map((f) => top(f.path)));
  const example = new Map<string, { file: string; line: number; to: string }>();
  const next = new Map<string, Set<string>>();
  for (const file of files) {
    for (const edge of file.imports) {
      if (edge.target.kind !== "file") continue;
      const from = top(file.path);
      const to = top(edge.target.path);
      if (from === to || !packages.has(to)) continue;
      if (!next.has(from)) next.set(from, new Set());
      next.get(from)!.add(to);
      const key = `${from}>${to}`;
      if (!example.has(key)) example.set(key, { file: file.path, line: edge.line, to: edge.target.path });
    }
  }
  const violations: Violation[] = [];
  const seen = new Set<string>();
  const search = (start: string, at: string, path: string[]): void => {
    for (const to of next.get(at) ?? []) {
      if (to === start) {
        const cycle = [...path, start];
        const key = [...cycle.slice(0, -1)].sort().join(",");
        if (seen.has(key)) continue;
        seen.add(key);
        const steps = cycle.slice(0, -1).map((from, i) => example.get(`${from}>${cycle[i + 1]}`)!);
        const first = steps[0]!;
        violations.push({
          file: first.file,
          line: first.line,
          edge: first.to,
          rule: `cycle between packages ${cycle.join(" -> ")} (${steps.map((s) => `${s.file} imports ${s.to}`).join("; ")})`,
        });
      } else if (!path.includes(to) && to > start) {
        search(start, to, [...path, to]);
      }
    }
  };
  for (const start of [...packages].sort()) search(start, start, [start]);
  return violations;
}

/** One line per violation: `file:line -> edge: rule`. */
export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line} -> ${v.edge}: ${v.rule}`;
}
