import type { CliIo } from "./io.ts";

/** One `gatehouse <name>` subcommand: what `cli/main.ts` dispatches to. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}
