import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Where the browser tests expect Debian's Chromium (`.ci/run` installs it). */
export const CHROMIUM = "/usr/bin/chromium";

/** The Chromium binary, or an error that says how to install it (the browser test then fails with that). */
export function chromiumPath(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests drive Debian's Chromium. Install it with: apt-get install chromium (.ci/run does this)`);
  }
  return CHROMIUM;
}

/** Headless Chromium with a fresh profile; `close` also removes the profile. */
export interface HeadlessChromium {
  browser: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts headless Chromium on a fresh `--user-data-dir` (Playwright passes it for a persistent
 * context) with nothing that would talk to Google's servers (no sync, component updates,
 * background networking, QUIC).
 */
export async function launchHeadlessChromium(): Promise<HeadlessChromium> {
  const profile = await mkdtemp(join(tmpdir(), "gatehouse-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
