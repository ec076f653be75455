import { SecretUnavailableError, type SecretSource } from "../../ports/secret-box.ts";

/** SecretSource from a plain map of name to value, for tests and benchmarks. */
export class StaticSecretSource implements SecretSource {
  constructor(private readonly values: Record<string, string>) {}

  async reveal(_gatewayId: string, name: string): Promise<string> {
    const value = this.values[name];
    if (value === undefined) throw new SecretUnavailableError(name, "not configured");
    return value;
  }
}
