import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One case of test/fixtures/ssrf/corpus.json (the format: test/fixtures/ssrf/README.md). */
export interface CorpusCase {
  id: string;
  input: string;
  expect: "block" | "allow";
  category: string;
  why: string;
  phase: "config+request" | "request";
  rule: string;
  whatwgHost: string | null;
  resolvesTo?: string[];
  rebindsTo?: string[];
  mustConnectTo?: string;
  configResolvesTo?: string[];
  redirect?: { status: number; location: string; locationResolvesTo?: string[] };
}

// Our SSRF corpus, vendored into the repository (it was first kept beside it, outside any clone).
const corpusUrl = new URL("../../fixtures/ssrf/corpus.json", import.meta.url);

/** Every case of the corpus, in file order. */
export const corpus: CorpusCase[] = JSON.parse(readFileSync(fileURLToPath(corpusUrl), "utf8")) as CorpusCase[];

/** The host part (no port, no brackets, no trailing dot, lower case) of a `host[:port]` string. */
export function bareHost(host: string): string {
  let name = host;
  if (name.startsWith("[")) name = name.slice(1, name.indexOf("]"));
  else if (name.includes(":")) name = name.slice(0, name.lastIndexOf(":"));
  return name.toLowerCase().replace(/\.$/, "");
}

/**
 * The stable code the guard must give for a corpus rule: the rule's family decides it.
 * (`name:invalid` and `port:*` are malformed input; other `name:*` rules are blocked names.)
 */
export function expectedCode(rule: string): string {
  if (rule.startsWith("dns->")) return "SSRF_DNS_BLOCKED";
  if (rule.startsWith("dns:")) return "SSRF_UNRESOLVED";
  if (rule.startsWith("scheme:")) return "SSRF_SCHEME";
  if (rule === "userinfo") return "SSRF_USERINFO";
  if (rule.startsWith("malformed:") || rule.startsWith("hygiene:") || rule.startsWith("port:") || rule === "name:invalid") {
    return "SSRF_MALFORMED";
  }
  if (rule.startsWith("name:")) return "SSRF_BLOCKED_NAME";
  return "SSRF_BLOCKED_ADDRESS";
}

/** Rules that only a URL parser can apply; an undici connector only ever sees a host. */
export function isUrlLevelRule(rule: string): boolean {
  return rule.startsWith("malformed:") || rule.startsWith("hygiene:") || rule.startsWith("scheme:") || rule.startsWith("port:") || rule === "userinfo";
}
