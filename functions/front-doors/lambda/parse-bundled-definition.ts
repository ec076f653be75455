import { validateGateway } from "../../../schema/define-gateway.ts";
import type { Gateway } from "../../../schema/gateway.ts";

/**
 * Re-validates the bundled definition at cold start. The validated form is turned back into
 * definition input (dropping the derived `slug` and `revision`) and run through the same
 * `validateGateway` as at deploy time; the revision it computes must equal the recorded one, which
 * proves the file is the definition that was deployed, whole and unaltered.
 */
export function parseBundledDefinition(json: string): Gateway {
  const raw = JSON.parse(json) as Record<string, unknown> & { endpoints?: Record<string, Record<string, unknown>>; revision?: unknown };
  const { revision, endpoints = {}, ...rest } = raw;
  const input = {
    ...rest,
    endpoints: Object.fromEntries(Object.entries(endpoints).map(([slug, { slug: _slug, ...endpoint }]) => [slug, endpoint])),
  };
  const result = validateGateway(input);
  if (!result.ok) {
    throw new Error(`the bundled definition is invalid: ${result.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  }
  if (result.gateway.revision !== revision) {
    throw new Error(`the bundled definition's revision ${String(revision)} does not match its content (${result.gateway.revision})`);
  }
  return result.gateway;
}
