import { parseArgs } from "node:util";
import { TARGETS, type TargetName } from "./types.ts";

/** How one `npm run bench` run is shaped. */
export interface BenchOptions {
  /** `guard`: the regression check of the Node front door (see {@link USAGE}). */
  mode: "quick" | "full" | "guard";
  warmupSeconds: number;
  durationSeconds: number;
  /** Each (target, connections) pair is measured this many times, interleaved; results are averaged. */
  rounds: number;
  connections: number[];
  loadGenerator: "auto" | "wrk" | "autocannon";
  targets: TargetName[];
  /**
   * Profile gatehouse-memory and bare-node under load: always, never, or when a target is
   * missed (the full run's default; `--quick` defaults to never, to stay under two minutes).
   */
  profile: "auto" | "on" | "off";
  /** Run the in-process microbenchmarks. */
  micro: boolean;
  /** Run the Lambda cold-start and cost benches (off in `guard` mode). */
  lambda: boolean;
  /** Allow `apt-get install nginx wrk` when they are missing. */
  install: boolean;
  outDir: string;
  help: boolean;
}

/** Usage text for `npm run bench -- --help`. */
export const USAGE = `usage: npm run bench -- [--quick | --guard] [--duration S] [--warmup S] [--rounds N] [--connections 1,32]
                      [--load auto|wrk|autocannon] [--only ${TARGETS.join(",")}]
                      [--profile | --no-profile] [--no-micro] [--no-install] [--out bench/results]
  --guard  under a minute: the bare Node proxy and gatehouse on memory and SQLite at 1 and 32
           connections, with the ratios and CPU µs/req against the bare proxy from the same run
           (no nginx, microbenchmarks, Lambda benches or profiles)`;

const PRESETS = {
  quick: { warmupSeconds: 1, durationSeconds: 5, rounds: 1 },
  full: { warmupSeconds: 3, durationSeconds: 12, rounds: 2 },
  guard: { warmupSeconds: 1, durationSeconds: 4, rounds: 1 },
} as const;

/** What `--guard` measures unless `--only` says otherwise (direct is added as the floor). */
const GUARD_TARGETS = ["bare-node", "gatehouse-memory", "gatehouse-sqlite"] as const;

/** Parses the harness's arguments; throws an Error with a readable message on bad input. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: "boolean", default: false },
      guard: { type: "boolean", default: false },
      duration: { type: "string" },
      warmup: { type: "string" },
      rounds: { type: "string" },
      connections: { type: "string", default: "1,32" },
      load: { type: "string", default: "auto" },
      only: { type: "string" },
      profile: { type: "boolean", default: false },
      "no-profile": { type: "boolean", default: false },
      "no-micro": { type: "boolean", default: false },
      "no-install": { type: "boolean", default: false },
      out: { type: "string", default: "bench/results" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.profile && values["no-profile"]) throw new Error("--profile and --no-profile contradict each other");
  if (values.quick && values.guard) throw new Error("--quick and --guard are two presets: pick one");
  const mode = values.guard ? "guard" : values.quick ? "quick" : "full";
  const preset = PRESETS[mode];
  const load = values.load;
  if (load !== "auto" && load !== "wrk" && load !== "autocannon") throw new Error(`--load must be auto, wrk or autocannon, got '${load}'`);
  const connections = values.connections.split(",").map((c) => positiveInt("--connections", c.trim()));
  const targets: TargetName[] =
    values.only !== undefined ? values.only.split(",").map((t) => target(t.trim())) : mode === "guard" ? [...GUARD_TARGETS] : [...TARGETS];
  // The ratios need their denominators: keep direct and bare-node whenever anything is measured.
  for (const needed of ["direct", "bare-node"] as const) if (!targets.includes(needed)) targets.unshift(needed);
  return {
    mode,
    warmupSeconds: values.warmup === undefined ? preset.warmupSeconds : nonNegative("--warmup", values.warmup),
    durationSeconds: values.duration === undefined ? preset.durationSeconds : positiveInt("--duration", values.duration),
    rounds: values.rounds === undefined ? preset.rounds : positiveInt("--rounds", values.rounds),
    connections: [...new Set(connections)].sort((a, b) => a - b),
    loadGenerator: load,
    targets: TARGETS.filter((t) => targets.includes(t)),
    profile: values.profile ? "on" : values["no-profile"] || mode !== "full" ? "off" : "auto",
    micro: !values["no-micro"] && mode !== "guard",
    lambda: mode !== "guard",
    install: !values["no-install"],
    outDir: values.out,
    help: values.help,
  };
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number of at least 1, got '${text}'`);
  return n;
}

function nonNegative(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} must be 0 or more, got '${text}'`);
  return n;
}

function target(name: string): TargetName {
  if (!(TARGETS as readonly string[]).includes(name)) throw new Error(`unknown target '${name}' (known: ${TARGETS.join(", ")})`);
  return name as TargetName;
}
