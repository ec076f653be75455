/** One address in a DNS answer. `ttl` (seconds) is optional; the DNS cache honours it when given. */
export interface LookupAddress {
  address: string;
  family: number;
  ttl?: number;
}

/**
 * Resolves a host name to every address it has. Rejects with an error whose `code` is
 * `ENOTFOUND` for a name that does not exist. Injected in tests so no query leaves the host.
 */
export type Lookup = (hostname: string) => Promise<LookupAddress[]>;
