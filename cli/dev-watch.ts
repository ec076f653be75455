import type { Gateway } from "../schema/gateway.ts";
import type { Engine } from "../functions/engine/create-engine.ts";
import type { LocalGateway } from "../functions/front-doors/node/wire-local.ts";
import { loadDefinitionFile } from "../loader/load-definition-file.ts";
import { recordGateways } from "./gateway-names.ts";
import type { CliIo } from "./io.ts";
import { applyUpstreamOverrides, type UpstreamOverride } from "./upstream-overrides.ts";
import { watchFiles } from "./watch-files.ts";

/** An engine whose definitions can be replaced while it serves: requests already in flight finish on the engine that took them. */
export interface SwappableEngine extends Engine {
  swap(next: Engine): void;
}

/** Wraps `first` so `swap` can replace it (only `dev --watch` pays the extra call). */
export function swappableEngine(first: Engine): SwappableEngine {
  let current = first;
  return {
    handle: (request) => current.handle(request),
    swap(next) {
      current = next;
    },
  };
}

/** What `watchDefinition` needs from `gatehouse dev`. */
export interface DevWatchOptions {
  file: string;
  /** The files the first load bundled. */
  inputs: string[];
  io: CliIo;
  local: LocalGateway;
  engine: SwappableEngine;
  overrides: UpstreamOverride[];
  /** The data folder to record gateway names in; null with `--memory`. */
  dataDir: string | null;
  current: Gateway[];
}

/**
 * `gatehouse dev --watch`: reloads the definition when it or a file it imports changes. A good
 * definition takes over at once for new requests (`reloaded …` on stdout); one that does not
 * load keeps the last good one and its problems go to stderr, one line each, never a stack.
 */
export function watchDefinition(options: DevWatchOptions): () => void {
  const { file, io, local, engine, overrides } = options;
  let current = options.current;
  let running = false;
  let again = false;
  const reload = async () => {
    if (running) return void (again = true);
    running = true;
    try {
      const loaded = await loadDefinitionFile(file, io.cwd);
      if (!loaded.ok) {
        io.err(`✗ ${file}: ${loaded.issues.length} problem(s); kept the last good definition (${revisions(current)})`);
        for (const issue of loaded.issues) io.err(`  ${file}: ${issue.path || "(file)"}: ${issue.message}`);
        return;
      }
      watch.set([...new Set([...loaded.inputs, ...options.inputs])]);
      const { gateways } = applyUpstreamOverrides(loaded.gateways, overrides);
      let next: Engine;
      try {
        next = await local.rebuild(gateways);
      } catch (error) {
        io.err(`✗ ${file}: ${error instanceof Error ? error.message : String(error)}; kept the last good definition (${revisions(current)})`);
        return;
      }
      engine.swap(next);
      if (options.dataDir !== null) await recordGateways(options.dataDir, gateways);
      io.out(`reloaded ${file}: ${revisions(gateways)} (was ${revisions(current)})`);
      current = gateways;
    } catch (error) {
      io.err(`✗ ${file}: reload failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}; kept the last good definition`);
    } finally {
      running = false;
      if (again) (again = false), void reload();
    }
  };
  const watch = watchFiles(options.inputs, () => void reload());
  io.out(`watching ${file} and ${options.inputs.length - 1} file(s) it imports; edits take effect on save`);
  return () => watch.close();
}

function revisions(gateways: Gateway[]): string {
  return gateways.map((g) => `gateway '${g.name}' revision ${g.revision}`).join(", ");
}
