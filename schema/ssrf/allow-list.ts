import { parseCidr, type Cidr } from "./parse-cidr.ts";
import { validateAllowance } from "./validate-allowance.ts";

/** Parsed `unsafeAllowPrivateNetworks` blocks of one endpoint. */
export type AllowList = readonly Cidr[];

/** An allowance as written in a definition (CIDR strings) or already parsed. */
export type AllowInput = readonly string[] | AllowList;

/**
 * Parses an endpoint's allowance list. Throws a TypeError naming the bad entry when one is
 * malformed or covers a cloud metadata address: at run time that is a bug (the schema already
 * reported it), and refusing to build the guard fails closed.
 */
export function compileAllowList(input: AllowInput | undefined): AllowList {
  if (!input || input.length === 0) return [];
  return input.map((entry) => {
    if (typeof entry !== "string") return entry;
    const problem = validateAllowance(entry);
    if (problem) throw new TypeError(`unsafeAllowPrivateNetworks: ${problem}`);
    const parsed = parseCidr(entry);
    if (!parsed.ok) throw new TypeError(`unsafeAllowPrivateNetworks: ${parsed.error}`);
    return parsed.cidr;
  });
}
