import type { Command } from "./command.ts";

/** A command module, or a sentence saying why it cannot load in this repository. */
export type LoadedCommand = { ok: true; command: Command } | { ok: false; message: string };

/**
 * Imports a command's module. The Pulumi packages are optional peer dependencies (a user who only
 * runs `gatehouse dev` need not install them), so a command built on them says which to install
 * instead of failing with Node's resolution error.
 */
export async function loadCommand(load: () => Promise<{ command: Command }>): Promise<LoadedCommand> {
  try {
    return { ok: true, command: (await load()).command };
  } catch (error) {
    const message = missingPeerMessage(error);
    if (message === undefined) throw error;
    return { ok: false, message };
  }
}

/** For an import that failed because an optional peer dependency (`@pulumi/*`) is missing: what to install. */
export function missingPeerMessage(error: unknown): string | undefined {
  if ((error as { code?: unknown })?.code !== "ERR_MODULE_NOT_FOUND") return undefined;
  const missing = /Cannot find (?:package|module) '(@pulumi\/[^/']+)/.exec(error instanceof Error ? error.message : "")?.[1];
  if (!missing) return undefined;
  return `this command needs ${missing}, which is not installed in this repository: npm install --save-dev @pulumi/pulumi@^3 @pulumi/aws@^7`;
}
