import type { DefinitionIssue } from "./definition-error.ts";
import type { Gateway } from "./gateway.ts";

/**
 * Request headers some frameworks read as "use this method instead" (Rails, Express's
 * method-override, ASP.NET, Google APIs): forwarding one lets a client send an allowed `POST`
 * that the upstream runs as a `DELETE`, past the endpoint's `methods`.
 */
export const METHOD_OVERRIDE_HEADERS: readonly string[] = ["x-http-method-override", "x-method-override", "x-http-method"];

/** Whether `name` is one of {@link METHOD_OVERRIDE_HEADERS} (any case). */
export function isMethodOverrideHeader(name: string): boolean {
  return METHOD_OVERRIDE_HEADERS.includes(name.toLowerCase());
}

/**
 * What is allowed but probably not meant, per endpoint: each a path and a message, like a
 * definition problem, printed by `validate` and `dev` without failing.
 */
export function definitionWarnings(gateway: Gateway): DefinitionIssue[] {
  const warnings: DefinitionIssue[] = [];
  for (const endpoint of Object.values(gateway.endpoints)) {
    for (const name of endpoint.headers.forward) {
      if (!isMethodOverrideHeader(name)) continue;
      warnings.push({
        path: `endpoints.${endpoint.slug}.headers.forward`,
        message: `'${name}' lets clients choose the method the upstream acts on, past the endpoint's methods (${endpoint.methods.join(", ")}); forward it only if the upstream ignores it or every method is allowed`,
      });
    }
  }
  return warnings;
}
