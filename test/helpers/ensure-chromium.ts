import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Where the browser test expects Debian's Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Vitest global setup: the OAuth connect test clicks through real pages in Debian's Chromium,
 * which a fresh machine does not have. As root (our machines and CI), install it with apt once,
 * so `npm test` passes on a fresh clone; otherwise say how, and let that test fail on its own.
 */
export default function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    console.warn(`test setup: ${CHROMIUM} is missing; install Debian's chromium (apt-get install chromium) for the browser test`);
    return;
  }
  console.warn("test setup: installing Debian's chromium for the browser test (once per machine)...");
  try {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore", timeout: 300_000 });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "ignore", timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  } catch (error) {
    console.warn(`test setup: could not install chromium (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
  }
}
