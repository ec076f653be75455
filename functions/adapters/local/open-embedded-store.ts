import { mkdir, open, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createTables } from "../aws/create-tables.ts";
import { createDocumentClient, isConnectionError, LOCAL_CREDENTIALS } from "../aws/dynamo-client.ts";
import type { TableNames } from "../../contracts/tables.ts";
import { startDynalite, type RunningDynalite } from "./start-dynalite.ts";

/** What `<data>/store.json` holds while a process serves the folder's store. */
export interface StoreFile {
  /** The holder's process id. */
  pid: number;
  /** The loopback port it serves on; null while it is starting. */
  port: number | null;
  /** When it started (epoch ms). */
  startedAt: number;
}

/** An open embedded store. */
export interface EmbeddedStore {
  /** A document client that follows the store if its holder changes (see {@link openEmbeddedStore}). */
  client: DynamoDBDocumentClient;
  /** The endpoint in use right now. */
  endpoint(): string;
  /** True when this process serves the folder (false: it reached another process's store). */
  holder(): boolean;
  /** Closes the client; the holder also stops dynalite and removes store.json. */
  close(): Promise<void>;
}

/** The store file's name inside the data folder. */
export const STORE_FILE = "store.json";

/** How long to wait for another process that is starting (or busy) before giving up. */
const WAIT_MS = 10_000;

/** Loopback sockets to the embedded store: more overflow dynalite's accept backlog (ECONNRESET) in a burst. */
const LOCAL_MAX_SOCKETS = 128;

/** store.json files this process is holding or starting, so its own entries are not taken for stale. */
const holdingHere = new Set<string>();

/**
 * Opens the embedded DynamoDB-compatible store of a data folder, so that any number of processes
 * can use one folder although only one may open its LevelDB files. The protocol:
 *
 * 1. Read `<data>/store.json` ({@link StoreFile}). If it names a port and a ListTables there
 *    answers, use that endpoint: another process (usually `gatehouse dev`) holds the store.
 * 2. If the file names a live process that does not answer yet, it is starting: wait and retry
 *    (up to 10 s, then fail naming the pid and the file to delete if that process is not ours).
 * 3. If there is no file, or it names a dead process (stale), create the file exclusively
 *    (`wx`, the lock) with `port: null`, start dynalite on `<data>/dynamo`, create the tables,
 *    then write the port. Losing the exclusive create to another opener means going back to 1.
 * 4. The holder removes the file when it closes. A process that was using another's store and
 *    loses it (connection refused) runs 1-3 again and retries the call once, so a CLI follows
 *    `gatehouse dev` restarts and `dev` survives the CLI that started the store exiting.
 */
export async function openEmbeddedStore(dataDir: string, tables: TableNames): Promise<EmbeddedStore> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, STORE_FILE);
  let current = await connect(dataDir, file, tables);

  const client = createDocumentClient({
    region: "us-east-1",
    // A provider, read on every call, so a rediscovered store is used at once.
    endpoint: async () => ({ url: new URL(current.endpoint) }),
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 2,
    maxSockets: LOCAL_MAX_SOCKETS,
    // dynalite is single-threaded: a burst of local requests waits for a pooled socket for
    // seconds, and the connection timeout would count that wait. A holder that is gone refuses
    // connections at once; the request timeout bounds a hung one.
    connectionTimeoutMs: 0,
    requestTimeoutMs: 15_000,
  });
  let rediscovering: Promise<void> | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (current.server || !isConnectionError(error)) throw error;
        rediscovering ??= connect(dataDir, file, tables)
          .then((found) => {
            current = found;
          })
          .finally(() => {
            rediscovering = undefined;
          });
        await rediscovering;
        return await next(args);
      }
    },
    { step: "initialize", name: "gatehouseFollowEmbeddedStore" },
  );

  return {
    client,
    endpoint: () => current.endpoint,
    holder: () => current.server !== undefined,
    close: async () => {
      client.destroy();
      const server = current.server;
      if (!server) return;
      await server.stop();
      const found = await readStoreFile(file);
      if (found?.pid === process.pid && found.port === server.port) await unlink(file).catch(() => {});
      holdingHere.delete(file);
    },
  };
}

interface Connection {
  endpoint: string;
  /** Set when this process started the server. */
  server?: RunningDynalite;
}

async function connect(dataDir: string, file: string, tables: TableNames): Promise<Connection> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = await readStoreFile(file);
    if (found?.port && (await answers(found.port))) return { endpoint: `http://127.0.0.1:${found.port}` };
    const stale = found !== null && (found.pid === process.pid ? !holdingHere.has(file) : !alive(found.pid));
    if (!found || stale) {
      if (found) await unlink(file).catch(() => {});
      const server = await tryHold(dataDir, file, tables);
      if (server) return { endpoint: server.endpoint, server };
    } else if (Date.now() > deadline) {
      throw new Error(
        `the store in ${dataDir} is held by process ${found.pid}${found.port ? ` on port ${found.port}` : ""}, which does not answer; ` +
          `if that process is not gatehouse, delete ${file}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Takes the folder if nobody else did in the meantime; undefined when another opener won. */
async function tryHold(dataDir: string, file: string, tables: TableNames): Promise<RunningDynalite | undefined> {
  let handle;
  try {
    handle = await open(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw error;
  }
  holdingHere.add(file);
  const record: StoreFile = { pid: process.pid, port: null, startedAt: Date.now() };
  try {
    await handle.writeFile(JSON.stringify(record));
  } finally {
    await handle.close();
  }
  let server: RunningDynalite | undefined;
  try {
    server = await startDynalite({ path: join(dataDir, "dynamo") });
    const client = createDocumentClient({ region: "us-east-1", endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    try {
      await createTables(client, tables);
    } finally {
      client.destroy();
    }
    // Published only once the tables exist, so whoever finds the port finds the tables too.
    await writeFile(file, JSON.stringify({ ...record, port: server.port } satisfies StoreFile));
    return server;
  } catch (error) {
    await server?.stop().catch(() => {});
    await unlink(file).catch(() => {});
    holdingHere.delete(file);
    throw error;
  }
}

async function readStoreFile(file: string): Promise<StoreFile | null> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<StoreFile>;
    if (typeof parsed.pid !== "number") return null;
    return { pid: parsed.pid, port: typeof parsed.port === "number" ? parsed.port : null, startedAt: Number(parsed.startedAt ?? 0) };
  } catch {
    // Missing, or half-written by a holder that is starting: both read as "no holder yet" or are retried.
    return null;
  }
}

/** A quick ListTables on the port: is a DynamoDB-compatible store there? */
async function answers(port: number): Promise<boolean> {
  const client = createDocumentClient({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    connectionTimeoutMs: 500,
    requestTimeoutMs: 1500,
  });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
