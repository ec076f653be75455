import type { Gateway } from "../../../schema/gateway.ts";
import { headerValueProblem } from "../../../schema/headers.ts";
import { secretContext, secretNames } from "../../../schema/secret-names.ts";
import { SecretUnavailableError, type SecretBox, type SecretSource } from "../../ports/secret-box.ts";

/**
 * SecretSource over sealed values, sealed per gateway, so one gateway cannot reveal another's
 * secrets. A value is opened when an endpoint first needs it; the engine then keeps the header
 * it rendered from it (and the endpoint's scrubber the value) for its life, so plaintext of the
 * secrets in use does live in the process's memory, as it must to be sent at all.
 */
export class SealedSecretSource implements SecretSource {
  private constructor(
    private readonly box: SecretBox,
    private readonly sealed: Map<string, string>,
  ) {}

  /**
   * Seals each gateway's secrets from `values` (environment variables, a secrets file).
   * Throws one error naming every missing secret.
   */
  static async seal(box: SecretBox, gateways: Gateway[], values: Record<string, string | undefined>): Promise<SealedSecretSource> {
    const sealed = new Map<string, string>();
    const missing: string[] = [];
    const unusable: string[] = [];
    for (const gateway of gateways) {
      for (const name of secretNames(gateway)) {
        const value = values[name];
        if (value === undefined || value === "") {
          missing.push(`${name} (gateway ${gateway.name})`);
          continue;
        }
        // Caught here rather than as a 502 on every request; the value itself is never printed.
        const problem = headerValueProblem(value);
        if (problem) {
          unusable.push(`${name} (gateway ${gateway.name}) ${problem}`);
          continue;
        }
        sealed.set(`${gateway.id}/${name}`, await box.seal(value, secretContext(gateway.id, name)));
      }
    }
    if (unusable.length) throw new Error(`secret ${unusable.join("; ")}: set it again without it`);
    if (missing.length) {
      throw new Error(
        `missing secret${missing.length === 1 ? "" : "s"}: ${missing.join(", ")}. Set ${missing.length === 1 ? "it" : "them"} as environment variable${missing.length === 1 ? "" : "s"} or in the secrets file.`,
      );
    }
    return new SealedSecretSource(box, sealed);
  }

  async reveal(gatewayId: string, name: string): Promise<string> {
    const sealed = this.sealed.get(`${gatewayId}/${name}`);
    if (sealed === undefined) throw new SecretUnavailableError(name, "not configured");
    try {
      return await this.box.open(sealed, secretContext(gatewayId, name));
    } catch (error) {
      throw new SecretUnavailableError(name, error instanceof Error ? error.message : "cannot be opened");
    }
  }
}
