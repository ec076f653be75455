import { Worker } from "node:worker_threads";

/** How often the background thread copies the WAL into the main file. */
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * A pass that finds this many frames in the log restarts it: 64 MiB of 4 KiB pages. A restart
 * holds the writer for one more copy and two fsyncs (the store alone at about 4,500 commits a
 * second: 2.6-3.1 ms median, 7 ms at most, about once a second), so it is not done at SQLite's own
 * 1,000 pages, which under load would be every pass (four times a second).
 */
export const DEFAULT_WAL_RESTART_FRAMES = 16_384;

/** The longest the writer holds a write for a restart in progress (the thread's attempts take at most 2 ms). */
const MAX_HOLD_MS = 50;

/** Slots of the shared flags (see PROGRAM). */
const [STOP, CLOSED, PAUSE] = [0, 1, 2] as const;

/** `Atomics.waitAsync` (Node 16 and later; typed from ES2024, one lib past the project's). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

/** How long closing waits for a checkpoint in progress before leaving the thread to be cut off with the process. */
const STOP_WAIT_MS = 5000;

/**
 * The thread's whole program, run with `eval` so it needs no file of its own (the package, the
 * bench's bundle and tsx each lay files out differently). It blocks in `Atomics.wait` between
 * checkpoints, so it holds no event loop of its own busy. Slots of the shared flags: STOP asks it
 * to stop, CLOSED says it has closed its connection, PAUSE asks this process's writer to hold
 * its next write while the log is restarted.
 *
 * A PASSIVE checkpoint copies the frames committed before it began, but under steady writes more
 * are appended while it runs, so the log is never wholly copied when the next write begins, and
 * only then does SQLite start the log over: the WAL grew by every commit, 354 MB in 20 s of the
 * bench. Once a pass leaves at least `restartFrames` in the log, the thread runs one more PASSIVE
 * pass for the frames committed during it (median pause 3.6 -> 2.7 ms), then raises PAUSE and
 * runs a RESTART checkpoint, which copies the last frames, syncs the main file and waits for
 * readers, so that the next write starts the log from the beginning
 * (https://sqlite.org/pragma.html#pragma_wal_checkpoint, https://sqlite.org/wal.html section 5).
 * Its connection never waits in SQLite's busy handler (which sleeps a millisecond or more): a
 * write or read in progress elsewhere makes the attempt come back busy, and it tries again
 * `RETRY_MS` later, a bounded number of times, then at the next pass.
 */
const PROGRAM = `
const { DatabaseSync } = require("node:sqlite");
const { workerData } = require("node:worker_threads");
const [STOP, CLOSED, PAUSE] = [0, 1, 2];
const RETRY_MS = 0.1, ATTEMPTS = 20;
const flags = new Int32Array(workerData.flags);
const db = new DatabaseSync(workerData.file, { timeout: 0 });
const passive = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
const restart = db.prepare("PRAGMA wal_checkpoint(RESTART)");
try {
  while (Atomics.wait(flags, STOP, 0, workerData.intervalMs) === "timed-out") {
    try {
      if (passive.get().log < workerData.restartFrames) continue;
      passive.get(); // the frames committed during that pass, so the paused RESTART has fewer to copy
      Atomics.store(flags, PAUSE, 1);
      try {
        for (let i = 0; i < ATTEMPTS && restart.get().busy !== 0; i++) Atomics.wait(flags, STOP, 0, RETRY_MS);
      } finally {
        Atomics.store(flags, PAUSE, 0);
        Atomics.notify(flags, PAUSE);
      }
    } catch {}
  }
} finally {
  db.close();
  Atomics.store(flags, CLOSED, 1);
  Atomics.notify(flags, CLOSED);
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
  private readonly flags = new Int32Array(new SharedArrayBuffer(12));
  private readonly worker: Worker;
  private stopped = false;

  constructor(file: string, restartFrames: number, onFailure: () => void) {
    this.worker = new Worker(PROGRAM, {
      eval: true,
      workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS, restartFrames, flags: this.flags.buffer },
    });
    // Never what keeps a process alive.
    this.worker.unref();
    const failed = () => {
      // A thread that died mid-restart must not leave the writer holding its writes.
      Atomics.store(this.flags, PAUSE, 0);
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
    Atomics.store(this.flags, STOP, 1);
    Atomics.notify(this.flags, STOP);
    Atomics.wait(this.flags, CLOSED, 0, STOP_WAIT_MS);
    Atomics.store(this.flags, PAUSE, 0);
  }

  /** True while the thread restarts the log: the writer holds its writes until {@link restarted}. */
  get restarting(): boolean {
    return Atomics.load(this.flags, PAUSE) === 1;
  }

  /**
   * Resolves once the restart is over (or after `MAX_HOLD_MS`, whichever comes first), without
   * blocking the event loop. `Atomics.waitAsync` alone does not keep a process alive, so a timer
   * of the same length stands beside it.
   */
  restarted(): Promise<void> {
    return new Promise((resolve) => {
      const waiting = waitAsync(this.flags, PAUSE, 1, MAX_HOLD_MS);
      if (!waiting.async) return resolve();
      const timer = setTimeout(resolve, MAX_HOLD_MS);
      void (waiting.value as Promise<string>).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Blocks (at most `MAX_HOLD_MS`) while a restart is in progress: for the writes that are synchronous. */
  holdWhileRestarting(): void {
    // Every write of the process comes here; a plain load spares the rest the wait's futex lock.
    if (this.restarting) Atomics.wait(this.flags, PAUSE, 1, MAX_HOLD_MS);
  }
}
