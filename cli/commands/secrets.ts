import { join, resolve } from "node:path";
import { LocalSecretBox } from "../../functions/adapters/local/local-secret-box.ts";
import { SealedSecretsFile } from "../../functions/adapters/local/sealed-secrets-file.ts";
import { SecretRefSchema } from "../../schema/secret.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import type { Command } from "../command.ts";
import { parseCommandArgs } from "../command-args.ts";

/** `gatehouse secrets set|list|remove`: secret values for `gatehouse dev`, sealed on disk. */
export const command: Command = {
  summary: "Store secret values for local gateways, sealed with the local keyring (never printed).",
  usage:
    "gatehouse secrets set <NAME> [--data .gatehouse]   (the value is read from standard input)\n" +
    "       gatehouse secrets list [--data .gatehouse]\n" +
    "       gatehouse secrets remove <NAME> [--data .gatehouse]",
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, { data: { type: "string", default: ".gatehouse" } });
    const [action, name, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected '${extra.join(" ")}'`);
    const dataDir = resolve(io.cwd, values.data);
    const file = new SealedSecretsFile(join(dataDir, "secrets.json"), await LocalSecretBox.fromKeyFile(join(dataDir, "keyring.key")));
    switch (action) {
      case "list": {
        const names = await file.names();
        io.out(names.length ? names.join("\n") : `no secrets stored in ${values.data}`);
        return EXIT.ok;
      }
      case "set": {
        checkName(name);
        if (!io.stdin) throw new UsageError("pipe the value on standard input");
        // One trailing newline is what `echo` or a heredoc adds; it is never part of a key.
        const value = (await io.stdin()).replace(/\r?\n$/, "");
        if (value === "") throw new UsageError(`no value on standard input for ${name}`);
        await file.set(name!, value);
        io.out(`stored ${name} (sealed in ${join(values.data, "secrets.json")})`);
        return EXIT.ok;
      }
      case "remove": {
        checkName(name);
        if (await file.remove(name!)) {
          io.out(`removed ${name}`);
          return EXIT.ok;
        }
        io.err(`gatehouse secrets: ${name} is not stored`);
        return EXIT.failed;
      }
      default:
        throw new UsageError(action ? `unknown action '${action}'` : "name an action: set, list or remove");
    }
  },
};

function checkName(name: string | undefined): void {
  if (!name) throw new UsageError("name the secret, e.g. STRIPE_BEARER");
  const parsed = SecretRefSchema.shape.name.safeParse(name);
  if (!parsed.success) throw new UsageError(`${name}: ${parsed.error.issues[0]?.message ?? "invalid name"}`);
}
