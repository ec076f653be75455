import { join } from "node:path";
import { freePort } from "./process/ports.ts";
import { readMemory } from "./process/read-memory.ts";
import { startServerChild, type RunningChild } from "./process/start-child.ts";
import { startNginx } from "./servers/nginx.ts";
import type { TargetName, Unavailable } from "./types.ts";

/** A server ready for load: where to send it, and which process to read memory from. */
export interface LoadTarget {
  name: TargetName;
  url: string;
  headers: Record<string, string>;
  pid: number;
  /** Sum the process's children (nginx's worker) into its memory. */
  withChildren: boolean;
  idleKb: number;
  stop(): Promise<void>;
  /** Facts the server printed on the way out (gatehouse: audit records retained). */
  finalLines(): string[];
}

/** What a gatehouse child prints when it is ready. */
interface GatehouseReady {
  port?: number;
  token?: string;
  path?: string;
  store?: string;
  unavailable?: string;
}

/** Starts the shared upstream; every other target proxies to it. */
export async function startUpstream(): Promise<RunningChild<{ port: number }>> {
  return startServerChild<{ port: number }>("servers/upstream-server.ts", []);
}

/** Starts a gatehouse front door (memory or embedded store) in its own process. */
export async function startGatehouse(
  name: "gatehouse-memory" | "gatehouse-embedded",
  upstreamOrigin: string,
  workDir: string,
  nodeFlags: string[] = [],
): Promise<LoadTarget | Unavailable> {
  const store = name === "gatehouse-memory" ? "memory" : "embedded";
  try {
    const child = await startServerChild<GatehouseReady>("servers/gatehouse-server.ts", [upstreamOrigin, store, join(workDir, `data-${name}`)], { nodeFlags });
    if (child.ready.unavailable !== undefined) {
      await child.stop();
      return { target: name, reason: `not available: ${child.ready.unavailable}` };
    }
    const { port, token, path } = child.ready;
    return {
      name,
      url: `http://127.0.0.1:${port}${path}`,
      headers: { authorization: `Bearer ${token}` },
      pid: child.pid,
      withChildren: false,
      idleKb: readMemory(child.pid)?.currentKb ?? 0,
      stop: () => child.stop(),
      finalLines: () => child.lines,
    };
  } catch (error) {
    return { target: name, reason: `failed to start: ${error instanceof Error ? error.message : String(error)}` };
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
      add({ name, url: `${origin}/v1/items/42`, headers: {}, pid: upstreamPid, withChildren: false, idleKb: readMemory(upstreamPid)?.currentKb ?? 0, stop: async () => {}, finalLines: () => [] });
    } else if (name === "nginx") {
      if (!nginxBinary) {
        add({ target: name, reason: "not available: nginx is not installed and could not be installed (see the messages above)" });
        continue;
      }
      try {
        const port = await freePort();
        const nginx = await startNginx(nginxBinary, join(workDir, "nginx"), port, upstreamPort);
        add({ name, url: `http://127.0.0.1:${port}/v1/items/42`, headers: {}, pid: nginx.pid, withChildren: true, idleKb: readMemory(nginx.pid, true)?.currentKb ?? 0, stop: () => nginx.stop(), finalLines: () => [] });
      } catch (error) {
        add({ target: name, reason: `failed to start: ${error instanceof Error ? error.message : String(error)}` });
      }
    } else if (name === "bare-node") {
      try {
        const child = await startServerChild<{ port: number }>("servers/bare-proxy-server.ts", [origin]);
        add({ name, url: `http://127.0.0.1:${child.ready.port}/v1/items/42`, headers: {}, pid: child.pid, withChildren: false, idleKb: readMemory(child.pid)?.currentKb ?? 0, stop: () => child.stop(), finalLines: () => child.lines });
      } catch (error) {
        add({ target: name, reason: `failed to start: ${error instanceof Error ? error.message : String(error)}` });
      }
    } else {
      add(await startGatehouse(name, origin, workDir));
    }
  }
  return { targets, unavailable };
}
