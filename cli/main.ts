import type { Command } from "./command.ts";
import { EXIT, processIo, UsageError, type CliIo } from "./io.ts";
import { errorMessage } from "../schema/error-message.ts";
import { loadCommand, missingPeerMessage } from "./load-command.ts";
import { packageVersion } from "./package-root.ts";
import { parseArgsMessage } from "./parse-args-message.ts";

type Loader = () => Promise<{ command: Command }>;

// Loaded lazily so `gatehouse validate` does not pay for the AWS SDK or the Pulumi runtime.
const commands: Record<string, Loader> = {
  init: () => import("./commands/init.ts"),
  validate: () => import("./commands/validate.ts"),
  dev: () => import("./commands/dev.ts"),
  serve: () => import("./commands/serve.ts"),
  secrets: () => import("./commands/secrets.ts"),
  diff: () => import("./commands/diff.ts"),
  "check-url": () => import("./commands/check-url.ts"),
  plan: () => import("./commands/plan.ts"),
  token: () => import("./commands/token.ts"),
  audit: () => import("./commands/audit.ts"),
  connect: () => import("./commands/connect.ts"),
  connections: () => import("./commands/connections.ts"),
};

/** Names of the available subcommands, sorted. */
export function commandNames(): string[] {
  return Object.keys(commands).sort();
}

/** Runs the CLI with the given arguments and returns the exit code. Never throws. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(await helpText());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    io.out(`gatehouse ${packageVersion()}`);
    return EXIT.ok;
  }
  const load = commands[name];
  if (!load) {
    io.err(`gatehouse: unknown command '${name}'. Commands: ${commandNames().join(", ")}`);
    return EXIT.usage;
  }
  const loaded = await loadCommand(load);
  if (!loaded.ok) {
    io.err(`gatehouse ${name}: ${loaded.message}`);
    return EXIT.failed;
  }
  const { command } = loaded;
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(`usage: ${command.usage}\n\n${command.summary}`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const usage = error instanceof UsageError ? error.message : parseArgsMessage(error);
    if (usage !== null) {
      io.err(`gatehouse ${name}: ${usage}\nusage: ${command.usage}`);
      return EXIT.usage;
    }
    // A user never sees a stack trace; GATEHOUSE_DEBUG=1 shows it for us.
    const message = errorMessage(error);
    io.err(`gatehouse ${name}: ${missingPeerMessage(error) ?? message}`);
    if (io.env.GATEHOUSE_DEBUG) io.err(error instanceof Error ? (error.stack ?? message) : message);
    return EXIT.failed;
  }
}

async function helpText(): Promise<string> {
  const lines = [`usage: gatehouse <command> [options]   (gatehouse ${packageVersion()}; gatehouse --version)`, "", "Commands:"];
  for (const name of commandNames()) {
    const loaded = await loadCommand(commands[name]!);
    lines.push(`  ${name.padEnd(12)} ${loaded.ok ? loaded.command.summary : `(${loaded.message})`}`);
  }
  return lines.join("\n");
}
