import { join } from "node:path";
import { freePort } from "./process/ports.ts";
import { readMemory } from "./process/read-memory.ts";
import { startServerChild, type RunningChild } from "./process/start-child.ts";
import { startNginx } from "./servers/nginx.ts";
import type { TargetName, Unavailable } from "./types.ts";
import { errorMessage } from "../schema/error-message.ts";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "../cli/server-heap.ts";

/** A server ready for load: where to send it, and which process to read memory and CPU from. */
export interface LoadTarget {
  name: TargetName;
  url: string;
  headers: Record<string, string>;
  pid: number;
  /** Sum the process's children (nginx's worker) into its memory and CPU. */
  withChildren: boolean;
  idleKb: number;
  stop(): Promise<void>;
  /** Lines the server printed after its ready line (gatehouse: audit records retained). */
  finalLines(): string[];
}

/** A Node server target, which can also be waited on for a line it prints (the profiler's start). */
export type ChildTarget = LoadTarget & Pick<RunningChild<unknown>, "waitForLine">;

/** The Node servers: the bare proxy and gatehouse on the memory or the SQLite store. */
export type NodeTargetName = "bare-node" | "gatehouse-memory" | "gatehouse-sqlite";

/** What a Node server child prints when it is ready. */
interface ChildReady {
  port?: number;
  token?: string;
  path?: string;
  unavailable?: string;
}

/** Starts the shared upstream; every other target proxies to it. */
export async function startUpstream(): Promise<RunningChild<{ port: number }>> {
  return startServerChild<{ port: number }>("servers/upstream-server.ts", []);
}

/**
 * Starts a Node server target in its own process: the bare proxy, or gatehouse on memory or
 * SQLite stores. With `profileFile` it runs unbundled (the profile then names the original
 * files) with the bench profiler armed (see servers/arm-profiler.ts); with `wrapper`, node runs
 * under that command (bench/instructions.ts runs it under valgrind).
 */
export async function startNodeTarget(
  name: NodeTargetName,
  upstreamOrigin: string,
  workDir: string,
  { profileFile = null, wrapper }: { profileFile?: string | null; wrapper?: string[] } = {},
): Promise<ChildTarget | Unavailable> {
  const [script, args] =
    name === "bare-node"
      ? ["servers/bare-proxy-server.ts", [upstreamOrigin]]
      : ["servers/gatehouse-server.ts", [upstreamOrigin, name === "gatehouse-memory" ? "memory" : "sqlite", join(workDir, `data-${name}`)]];
  try {
    const child = await startServerChild<ChildReady>(script, args, {
      // --expose-gc lets gatehouse measure the heap its retained audit records take when it exits (no
      // effect on speed). Every Node target, the bare proxy too, runs with the V8 flags `gatehouse
      // dev` and `serve` give themselves and their environment (SERVER_ENV), so the two compare on
      // the same heap settings.
      nodeFlags: ["--expose-gc", ...SERVER_NODE_FLAGS],
      env: { ...process.env, ...SERVER_ENV, ...(profileFile ? { GATEHOUSE_BENCH_PROFILE: profileFile } : {}) },
      ...(wrapper ? { wrapper, timeoutMs: 300_000 } : {}),
      ...(profileFile ? { tsx: true } : {}),
    });
    if (child.ready.unavailable !== undefined) {
      await child.stop();
      return { target: name, reason: `not available: ${child.ready.unavailable}` };
    }
    const { port, token, path } = child.ready;
    return {
      name,
      url: `http://127.0.0.1:${port}${path ?? "/v1/items/42"}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      pid: child.pid,
      withChildren: false,
      idleKb: readMemory(child.pid)?.currentKb ?? 0,
      stop: () => child.stop(),
      finalLines: () => child.lines,
      waitForLine: child.waitForLine,
    };
  } catch (error) {
    return { target: name, reason: `failed to start: ${errorMessage(error)}` };
  }
}

/** Starts every requested target (all loopback, each in its own process); the ones that cannot run come back as `Unavailable`. */
export async function startTargets(
  wanted: readonly TargetName[],
  upstreamPort: number,
  upstreamPid: number,
  nginxBinary: string | null,
  workDir: string,
): Promise<{ targets: LoadTarget[]; unavailable: Unavailable[] }> {
  const origin = `http://127.0.0.1:${upstreamPort}`;
  const targets: LoadTarget[] = [];
  const unavailable: Unavailable[] = [];
  const add = (result: LoadTarget | Unavailable) => ("reason" in result ? unavailable.push(result) : targets.push(result));
  for (const name of wanted) {
    if (name === "direct") {
      add({
        name,
        url: `${origin}/v1/items/42`,
        headers: {},
        pid: upstreamPid,
        withChildren: false,
        idleKb: readMemory(upstreamPid)?.currentKb ?? 0,
        stop: async () => {},
        finalLines: () => [],
      });
    } else if (name === "nginx") {
      if (!nginxBinary) {
        add({ target: name, reason: "not available: nginx is not installed and could not be installed (see the messages above)" });
        continue;
      }
      try {
        const port = await freePort();
        const nginx = await startNginx(nginxBinary, join(workDir, "nginx"), port, upstreamPort);
        add({
          name,
          url: `http://127.0.0.1:${port}/v1/items/42`,
          headers: {},
          pid: nginx.pid,
          withChildren: true,
          idleKb: readMemory(nginx.pid, true)?.currentKb ?? 0,
          stop: () => nginx.stop(),
          finalLines: () => [],
        });
      } catch (error) {
        add({ target: name, reason: `failed to start: ${errorMessage(error)}` });
      }
    } else {
      add(await startNodeTarget(name, origin, workDir));
    }
  }
  return { targets, unavailable };
}
