import type { Cors } from "../../schema/cors.ts";
import { STANDARD_METHODS } from "../../schema/methods.ts";
import type { Change, Effect } from "./change.ts";
import { code, isAre, joinWords, nounList, setDelta } from "./words.ts";

/**
 * CORS changes of one endpoint. Anything that lets more pages, methods, request headers or
 * readable response headers through, or turns credentials on, widens (a page on that origin can
 * now spend its users' tokens there); the reverse narrows; the preflight cache time is neutral.
 */
export function diffCors(slug: string, before: Cors | undefined, after: Cors | undefined): Change[] {
  const s = code(slug);
  const subject = `endpoint:${slug}`;
  const changes: Change[] = [];
  const add = (effect: Effect, text: string) => changes.push({ effect, kind: "cors", subject, text });
  if (before === undefined && after === undefined) return changes;
  if (before === undefined) {
    add(
      "widening",
      `${s} now answers browser pages from ${originWords(after!.origins)} (CORS; methods ${after!.methods.join(", ")}${after!.credentials ? "; with credentials" : ""})`,
    );
    return changes;
  }
  if (after === undefined) {
    add("narrowing", `${s} no longer answers browser pages from other origins (CORS removed)`);
    return changes;
  }
  const anyBefore = before.origins.includes("*");
  const anyAfter = after.origins.includes("*");
  if (anyBefore !== anyAfter) {
    // '*' covers every exact origin: going to or from it is one change in one direction.
    if (anyAfter) add("widening", `browser pages from any origin may now call ${s} (CORS), not only ${originWords(before.origins)}`);
    else add("narrowing", `browser pages may now call ${s} only from ${originWords(after.origins)}, no longer from any origin (CORS)`);
  } else {
    const origins = setDelta(before.origins, after.origins);
    if (origins.added.length) add("widening", `browser pages from ${originWords(origins.added)} may now call ${s} (CORS)`);
    if (origins.removed.length) add("narrowing", `browser pages from ${originWords(origins.removed)} may no longer call ${s} (CORS)`);
  }
  const methods = setDelta(before.methods, after.methods, STANDARD_METHODS);
  if (methods.added.length) add("widening", `browser pages may now use ${joinWords(methods.added)} on ${s} (CORS)`);
  if (methods.removed.length) add("narrowing", `browser pages may no longer use ${joinWords(methods.removed)} on ${s} (CORS)`);
  const headers = setDelta(before.headers, after.headers);
  if (headers.added.length) add("widening", `browser pages may now send ${nounList("header", "headers", headers.added)} to ${s} (CORS)`);
  if (headers.removed.length) add("narrowing", `browser pages may no longer send ${nounList("header", "headers", headers.removed)} to ${s} (CORS)`);
  const exposed = setDelta(before.exposeHeaders, after.exposeHeaders);
  if (exposed.added.length)
    add("widening", `${nounList("response header", "response headers", exposed.added)} of ${s} ${isAre(exposed.added)} now readable by browser pages (CORS)`);
  if (exposed.removed.length)
    add(
      "narrowing",
      `${nounList("response header", "response headers", exposed.removed)} of ${s} ${isAre(exposed.removed)} no longer readable by browser pages (CORS)`,
    );
  if (before.credentials !== after.credentials) {
    add(
      after.credentials ? "widening" : "narrowing",
      `browser pages ${after.credentials ? "may now" : "may no longer"} send credentials (cookies) to ${s} (CORS)`,
    );
  }
  if (before.maxAgeSeconds !== after.maxAgeSeconds) {
    add("neutral", `browsers may cache ${s}'s CORS preflight for ${after.maxAgeSeconds} s instead of ${before.maxAgeSeconds} s`);
  }
  return changes;
}

function originWords(origins: readonly string[]): string {
  return origins.includes("*") ? "any origin" : `${origins.length === 1 ? "origin" : "origins"} ${joinWords(origins.map(code))}`;
}
