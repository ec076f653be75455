import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { uptime } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";

/**
 * Every table but `audit`, each checked with its indexes on every open. They stay small (tokens,
 * connections, leases, sessions, live counters), so the check costs the same with ten audit
 * records or a hundred million; they hold everything a damaged file could turn into a security
 * fault (a revoked token back, a lease or counter lost).
 */
const CHECKED_ON_EVERY_OPEN = ["sqlite_schema", "tokens", "rate_counters", "connections", "leases", "sessions"] as const;

/** Marker a process writing audit records and counters keeps in the data folder while it runs. */
const MARKER_PREFIX = ".gatehouse.db.open-";

/** Data folders this process holds a marker in, and how many of its openers wrote there. */
const markedHere = new Map<string, number>();

/** How far two computed boot times may differ and still be the same boot (clock steps, rounding). */
const SAME_BOOT_SLACK_MS = 120_000;

interface Marker {
  pid: number;
  /** When the machine booted (epoch ms), so a pid from before a reboot is never taken as alive. */
  bootedAt: number;
}

/** What {@link integrityCheck} checked, and why. */
export interface IntegrityResult {
  scope: "tables" | "full";
  /** Markers of serving processes that ended without closing the store (removed once the full check passed). */
  unclean: string[];
  /** SQLite's findings (`["ok"]` when intact). */
  findings: string[];
}

/**
 * The integrity check on open, bounded by what can have happened since the store was last known
 * good. Always: `PRAGMA quick_check(<table>)` of every table but the audit log (their b-trees and
 * indexes; see {@link CHECKED_ON_EVERY_OPEN}). And the whole file, audit included, when a process
 * that wrote to it ended without closing it (kill -9, a crash, power loss): its marker is still in
 * the folder and its pid is not running on this boot. A clean close removes the marker, so the
 * CLI commands that run beside a server, and every restart after a clean stop, never read the
 * audit table to open the store.
 */
export function integrityCheck(db: DatabaseSync, dir: string): IntegrityResult {
  const unclean = staleMarkers(dir);
  const findings: string[] = [];
  if (unclean.length > 0) {
    findings.push(...quickCheck(db, ""));
  } else {
    for (const table of CHECKED_ON_EVERY_OPEN) for (const finding of quickCheck(db, table)) if (finding !== "ok") findings.push(finding);
    if (findings.length === 0) findings.push("ok");
  }
  const intact = findings.length === 1 && findings[0] === "ok";
  if (intact) for (const name of unclean) removeQuietly(join(dir, name));
  return { scope: unclean.length > 0 ? "full" : "tables", unclean, findings };
}

/**
 * Writes this process's marker (before its first audit or counter write), fsynced with its folder
 * so that it outlives a power loss; the returned function removes it at a clean close.
 */
export function markOpen(dir: string): () => void {
  const path = join(dir, `${MARKER_PREFIX}${process.pid}`);
  const openers = markedHere.get(dir) ?? 0;
  markedHere.set(dir, openers + 1);
  if (openers === 0) {
    const marker: Marker = { pid: process.pid, bootedAt: bootedAt() };
    writeFileSync(path, `${JSON.stringify(marker)}\n`, { mode: 0o600 });
    syncPath(path);
    syncPath(dir);
  }
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    const left = (markedHere.get(dir) ?? 1) - 1;
    if (left > 0) return void markedHere.set(dir, left);
    markedHere.delete(dir);
    removeQuietly(path);
  };
}

function quickCheck(db: DatabaseSync, table: string): string[] {
  const rows = db.prepare(table === "" ? "PRAGMA quick_check" : `PRAGMA quick_check(${table})`).all() as { quick_check: string }[];
  return rows.map((row) => row.quick_check);
}

/**
 * Markers whose process is gone: not running now, or from an earlier boot, or with our own pid
 * but not written by this process (the pid was reused after a reboot).
 */
function staleMarkers(dir: string): string[] {
  const names = readdirSync(dir).filter((name) => name.startsWith(MARKER_PREFIX));
  return names.filter((name) => {
    let marker: Marker;
    try {
      marker = JSON.parse(readFileSync(join(dir, name), "utf8")) as Marker;
    } catch {
      // Cut short by the crash it is meant to reveal.
      return true;
    }
    if (marker.pid === process.pid) return !markedHere.has(dir);
    if (Math.abs(marker.bootedAt - bootedAt()) > SAME_BOOT_SLACK_MS) return true;
    return !running(marker.pid);
  });
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid runs, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function bootedAt(): number {
  return Date.now() - Math.round(uptime() * 1000);
}

function syncPath(path: string): void {
  const handle = openSync(path, "r");
  try {
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already removed by another opener that found it stale too.
  }
}
