import type { Gateway } from "./gateway.ts";
import { injectSecretNames } from "./inject-value.ts";

/** Every secret name a gateway refers to (injected headers, Basic credentials included, and OAuth client secrets), sorted. */
export function secretNames(gateway: Gateway): string[] {
  const names = new Set<string>();
  for (const endpoint of Object.values(gateway.endpoints)) {
    for (const value of Object.values(endpoint.headers.inject)) for (const name of injectSecretNames(value)) names.add(name);
  }
  for (const connection of Object.values(gateway.connections)) names.add(connection.clientSecret.name);
  return [...names].sort();
}

/**
 * The encryption context a gateway secret is sealed under, locally and in KMS alike, so a
 * ciphertext only opens for the gateway and name it was made for.
 */
export const secretContext = (gatewayId: string, name: string) => ({ gateway: gatewayId, purpose: "secret", name });
