import { errorMessage } from "../schema/error-message.ts";

/**
 * Node's `parseArgs` errors in our words: which option, what is wrong with it. Node's own text
 * ("To specify a positional argument starting with a '-', place it at the end...") is for
 * programmers; a user needs the option's name and the command's usage, which `main` adds.
 * Returns null for anything that is not a parseArgs error.
 */
export function parseArgsMessage(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS")) return null;
  const text = errorMessage(error);
  const quoted = /'([^']*)'/.exec(text)?.[1] ?? "";
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option '${quoted}'`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const option = quoted.split(" ")[0] ?? quoted;
      if (/does not take an argument/.test(text)) return `option ${option} takes no value`;
      if (/ambiguous/.test(text)) return `option ${option} needs a value (the next argument starts with '-'; write ${option}=<value> if it is the value)`;
      return `option ${option} needs a value`;
    }
    default:
      return text;
  }
}
