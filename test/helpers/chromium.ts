import { existsSync } from "node:fs";

/** Where the browser tests expect Debian's Chromium (`.ci/run` installs it). */
export const CHROMIUM = "/usr/bin/chromium";

/** The Chromium binary, or an error that says how to install it (the browser test then fails with that). */
export function chromiumPath(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests drive Debian's Chromium. Install it with: apt-get install chromium (.ci/run does this)`);
  }
  return CHROMIUM;
}
