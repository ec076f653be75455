import { SSRF_CODES, type SsrfCode } from "../../../../schema/ssrf/index.ts";
import type { Lookup, LookupAddress } from "./lookup.ts";

/** The answer for a name, or why there is none (fail closed: no answer, no connection). */
export type Resolution = { ok: true; answers: LookupAddress[] } | { ok: false; code: SsrfCode; rule: string; reason: string };

const NO_SUCH_NAME = new Set(["ENOTFOUND", "ENODATA", "EAI_NONAME", "EAI_NODATA", "NXDOMAIN"]);

/**
 * Looks a name up once, with a timeout. Unknown names give `dns:no-answer`, a timeout
 * `dns:timeout`, any other resolver failure or a malformed result `dns:error`, all coded
 * `SSRF_UNRESOLVED`. The answer itself is checked by the caller.
 */
export async function resolveHost(hostname: string, lookup: Lookup, timeoutMs: number): Promise<Resolution> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    timer.unref?.();
  });
  try {
    const answers = await Promise.race([lookup(hostname), timeout]);
    if (answers === "timeout") {
      return { ok: false, code: SSRF_CODES.unresolved, rule: "dns:timeout", reason: `no DNS answer for '${hostname}' within ${timeoutMs} ms` };
    }
    if (!Array.isArray(answers)) {
      return { ok: false, code: SSRF_CODES.unresolved, rule: "dns:error", reason: `the resolver returned no address list for '${hostname}'` };
    }
    return { ok: true, answers };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && NO_SUCH_NAME.has(code)) {
      return { ok: false, code: SSRF_CODES.unresolved, rule: "dns:no-answer", reason: `'${hostname}' does not resolve (${code})` };
    }
    return {
      ok: false,
      code: SSRF_CODES.unresolved,
      rule: "dns:error",
      reason: `resolving '${hostname}' failed${typeof code === "string" ? ` (${code})` : ""}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
