import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** `--json`: print JSON instead of text (every command that can). */
export const JSON_OPTION = { json: { type: "boolean", default: false } } as const satisfies ParseArgsOptionsConfig;

/**
 * A command's arguments, parsed the one way every command parses them: strictly, so an unknown
 * option or a missing value is node:util's error, which `main` words with the usage (exit 2);
 * positionals are allowed and each command says which it takes.
 *
 * @example
 * const { values, positionals } = parseCommandArgs(args, { ...JSON_OPTION, gateway: { type: "string" } });
 */
export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}
