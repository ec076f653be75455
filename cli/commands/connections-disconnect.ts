import { existsSync } from "node:fs";
import { join } from "node:path";
import { LocalSecretBox } from "../../functions/adapters/local/local-secret-box.ts";
import { SealedSecretSource } from "../../functions/adapters/local/sealed-secret-source.ts";
import { SealedSecretsFile } from "../../functions/adapters/local/sealed-secrets-file.ts";
import { MemoryAuditSink } from "../../functions/adapters/memory/memory-audit-sink.ts";
import { manualRevocation, type DisconnectResult } from "../../functions/oauth/disconnect-connection.ts";
import { createOAuth } from "../../functions/oauth/wire-oauth.ts";
import type { ConnectionRecord, ConnectionStore } from "../../functions/ports/connection-store.ts";
import { validateAllowance } from "../../schema/ssrf/index.ts";
import { loadDefinitionFile } from "../../loader/load-definition-file.ts";
import { UsageError, type CliIo } from "../io.ts";
import type { Provider } from "../../schema/connection.ts";

const PROVIDERS: readonly string[] = ["google", "github", "slack", "microsoft", "notion", "discord", "generic"] satisfies Provider[];

/**
 * `connections disconnect`: with `--definition <file>` (the gateway's definition, local data
 * folder), the grant is revoked at the provider first through the OAuth module (client secret
 * from the environment or `gatehouse secrets set`, tokens opened with the folder's keyring,
 * calls through the SSRF guard); without it only the local record is removed. Either way the
 * output says whether the provider still holds the grant and how to revoke it by hand.
 */
export async function disconnect(options: {
  io: CliIo;
  store: ConnectionStore;
  record: ConnectionRecord;
  gatewayLabel: string;
  definition: string | undefined;
  /** `--unsafe-allow-private`: private ranges the provider calls may reach (a local authorization server). */
  allowPrivate: string[];
  dataDir: string;
  local: boolean;
}): Promise<string[]> {
  const { io, store, record, gatewayLabel } = options;
  const name = record.connection;
  if (options.definition === undefined) {
    await store.delete(record.gatewayId, name);
    return [
      `disconnected '${name}' of gateway ${gatewayLabel}: its tokens are deleted here.`,
      `${record.provider} still holds the grant: ${PROVIDERS.includes(record.provider as Provider) ? manualRevocation(record.provider as Provider) : "remove the app's access at the provider"}.`,
      `(With --definition <gateway file> the gateway revokes it at the provider itself.)`,
    ];
  }
  if (!options.local)
    throw new UsageError("--definition revokes with the local data folder's keyring; on AWS, disconnect without it and revoke at the provider");
  const loaded = await loadDefinitionFile(options.definition, io.cwd);
  if (!loaded.ok) throw new UsageError(`${options.definition}: ${loaded.issues.map((i) => `${i.path || "(file)"}: ${i.message}`).join("; ")}`);
  const gateway = loaded.gateways.find((g) => g.id === record.gatewayId);
  if (!gateway) throw new UsageError(`${options.definition} does not define gateway ${gatewayLabel}`);
  if (!Object.hasOwn(gateway.connections, name)) throw new UsageError(`${options.definition}: gateway ${gatewayLabel} has no connection '${name}'`);

  for (const cidr of options.allowPrivate) {
    const problem = validateAllowance(cidr);
    if (problem) throw new UsageError(`--unsafe-allow-private ${cidr}: ${problem}`);
    io.err(`⚠ --unsafe-allow-private ${cidr}: the provider calls of this disconnect may reach this private range.`);
  }
  const box = await LocalSecretBox.fromKeyFile(join(options.dataDir, "keyring.key"));
  const secretsFile = join(options.dataDir, "secrets.json");
  const stored = existsSync(secretsFile) ? await new SealedSecretsFile(secretsFile, box).openAll() : {};
  const secrets = await SealedSecretSource.seal(box, [gateway], { ...stored, ...io.env });
  const oauth = createOAuth({
    store,
    box,
    secrets,
    audit: new MemoryAuditSink(),
    log: { info() {}, warn() {}, error() {} },
    gateways: [gateway],
    network: { unsafeAllowPrivate: options.allowPrivate },
  });
  let result: DisconnectResult;
  try {
    result = await oauth.disconnect(gateway, name);
  } finally {
    await oauth.close();
  }
  const head = `disconnected '${name}' of gateway ${gatewayLabel}: its tokens are deleted here`;
  if (result.revoked === "revoked") return [`${head}, and the grant is revoked at ${record.provider}.`];
  const why = result.revoked === "unsupported" ? `${result.reason} (not revoked)` : `revocation failed: ${result.reason}`;
  return [`${head}. ${why}.`, `${record.provider} still holds the grant: ${result.manual}.`];
}
