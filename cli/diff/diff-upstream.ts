import type { Change } from "./change.ts";
import { code } from "./words.ts";

const segments = (path: string) => path.split("/").filter((part) => part !== "");

/**
 * An upstream URL change. Another origin always widens: clients' requests, and every credential
 * the gateway injects, now go to a host nobody reviewed before. On the same origin, with the
 * client's path forwarded, a parent path widens (more of the API is reachable below it) and a
 * child path narrows; any other move is neutral.
 */
export function diffUpstream(slug: string, before: string, after: string, forwardPath: boolean): Change[] {
  const subject = `endpoint:${slug}`;
  const was = new URL(before);
  const now = new URL(after);
  if (was.origin !== now.origin) {
    return [
      {
        effect: "widening",
        kind: "upstream-origin",
        subject,
        text: `upstream origin of ${code(slug)} changed from ${was.origin} to ${now.origin} (now ${after})`,
      },
    ];
  }
  const from = segments(was.pathname);
  const to = segments(now.pathname);
  if (from.join("/") === to.join("/")) return []; // a trailing slash only: the same upstream
  const prefix = (short: string[], long: string[]) => short.length < long.length && short.every((part, i) => part === long[i]);
  const fromPath = `/${from.join("/")}`;
  const toPath = `/${to.join("/")}`;
  if (forwardPath && prefix(to, from)) {
    return [
      {
        effect: "widening",
        kind: "upstream-path",
        subject,
        text: `upstream path of ${code(slug)} widened from ${fromPath} to ${toPath} (clients reach everything below it)`,
      },
    ];
  }
  if (forwardPath && prefix(from, to)) {
    return [{ effect: "narrowing", kind: "upstream-path", subject, text: `upstream path of ${code(slug)} narrowed from ${fromPath} to ${toPath}` }];
  }
  return [{ effect: "neutral", kind: "upstream-path", subject, text: `upstream path of ${code(slug)} changed from ${fromPath} to ${toPath}` }];
}
