import { Worker } from "node:worker_threads";

/** How often the background thread copies the WAL into the main file. */
const CHECKPOINT_INTERVAL_MS = 250;

/** How long closing waits for a checkpoint in progress before leaving the thread to be cut off with the process. */
const STOP_WAIT_MS = 5000;

/**
 * The thread's whole program, run with `eval` so it needs no file of its own (the package, the
 * bench's bundle and tsx each lay files out differently). It blocks in `Atomics.wait` between
 * checkpoints, so it holds no event loop of its own busy; slot 0 of the shared flags asks it to
 * stop, slot 1 says it has closed its connection.
 */
const PROGRAM = `
const { DatabaseSync } = require("node:sqlite");
const { workerData } = require("node:worker_threads");
const flags = new Int32Array(workerData.flags);
const db = new DatabaseSync(workerData.file, { timeout: workerData.busyTimeoutMs });
try {
  while (Atomics.wait(flags, 0, 0, workerData.intervalMs) === "timed-out") {
    try { db.exec("PRAGMA wal_checkpoint(PASSIVE)"); } catch {}
  }
} finally {
  db.close();
  Atomics.store(flags, 1, 1);
  Atomics.notify(flags, 1);
}
`;

/**
 * Checkpoints the store's WAL on a thread of its own, on its own connection, so that copying
 * pages into the main file and the fsync that follows never hold the event loop. SQLite's
 * automatic checkpoint runs inside the COMMIT that crosses 1000 WAL pages, on the thread that
 * committed: under load every request in flight waited for it (the bench's SQLite p99 at one
 * connection was 12 ms with it and 4.4 ms without). A PASSIVE checkpoint never blocks writers
 * (https://sqlite.org/c3ref/wal_checkpoint_v2.html), so the main connection goes on committing
 * while it runs. The caller turns its own automatic checkpoint off once this has started, and
 * back on through `onFailure` if the thread ever fails, so the WAL never grows unchecked. The
 * thread costs about 11 MB of the server's RSS (a V8 isolate of its own; heap limits do not
 * shrink it); a larger automatic-checkpoint threshold instead (10,000 pages) made the stalls
 * rarer but far longer (bench p99 86 ms at one connection).
 */
export class WalCheckpointer {
  private readonly flags = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;
  private stopped = false;

  constructor(file: string, busyTimeoutMs: number, onFailure: () => void) {
    this.worker = new Worker(PROGRAM, {
      eval: true,
      workerData: { file, busyTimeoutMs, intervalMs: CHECKPOINT_INTERVAL_MS, flags: this.flags.buffer },
    });
    // Never what keeps a process alive.
    this.worker.unref();
    const failed = () => {
      if (!this.stopped) onFailure();
      this.stopped = true;
    };
    this.worker.once("error", failed);
    this.worker.once("exit", failed);
  }

  /**
   * Stops the thread and waits (synchronously, so the store's `close` stays synchronous) until
   * it has closed its connection: the main connection must be the last one out, so that it
   * checkpoints everything and removes the WAL.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    Atomics.store(this.flags, 0, 1);
    Atomics.notify(this.flags, 0);
    Atomics.wait(this.flags, 1, 0, STOP_WAIT_MS);
  }
}
