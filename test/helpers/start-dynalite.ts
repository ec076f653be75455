import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

/** A running dynalite server. */
export interface RunningDynalite {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  /** Stops the server and closes its LevelDB store. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 (port 0: the system picks a free one). With `path` the data is
 * kept in LevelDB there (one process at a time: LevelDB locks the folder, and a second dynalite on
 * a locked folder hangs rather than fails); without it, in memory. Tables become ACTIVE at once.
 * The tests' (and the Lambda bench's) stand-in for DynamoDB; no product code path starts it.
 */
export async function startDynalite(options: { path?: string; port?: number } = {}): Promise<RunningDynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      (stopped ??= new Promise<void>((resolve, reject) => {
        // Idle keep-alive sockets of our own clients would otherwise hold the close open.
        server.closeAllConnections?.();
        server.close((error?: Error) => (error ? reject(error) : resolve()));
      })),
  };
}
