import { readFile } from "node:fs/promises";
import type { Gateway } from "../../../schema/gateway.ts";
import { DynamoAuditSink } from "../../adapters/aws/dynamo-audit-sink.ts";
import { DynamoConnectionStore } from "../../adapters/aws/dynamo-connection-store.ts";
import { DynamoRateLimiter } from "../../adapters/aws/dynamo-rate-limiter.ts";
import { DynamoTokenStore } from "../../adapters/aws/dynamo-token-store.ts";
import { KmsSecretBox } from "../../adapters/aws/kms-secret-box.ts";
import { KmsSecretSource } from "../../adapters/aws/kms-secret-source.ts";
import { emfAuditSink } from "../../adapters/metrics/emf-audit-sink.ts";
import { UndiciUpstreamClient } from "../../adapters/upstream/undici-upstream-client.ts";
import { createEngine, type Engine } from "../../engine/create-engine.ts";
import { nodeTokenHasher } from "../../adapters/node/node-token-hasher.ts";
import type { EnginePorts } from "../../ports/index.ts";
import { DEFINITION_FILE, SECRETS_FILE } from "../../contracts/lambda-contract.ts";
import { systemClock } from "../../ports/clock.ts";
import { jsonLog } from "../../ports/log.ts";
import { parseCiphertexts, readAwsSettings, type AwsSettings } from "./lambda-settings.ts";
import { parseBundledDefinition } from "./parse-bundled-definition.ts";
import { apiDoorGateway } from "./api-door-gateway.ts";
import { createLambdaSdkClients, type LambdaSdkClients } from "./wire-aws-clients.ts";

/** A wired AWS gateway: what a handler needs for every invocation of one cold start. */
export interface AwsGateway {
  engine: Engine;
  /** The deployed definition. */
  gateway: Gateway;
  /** The definition as this door's engine serves it (on the API door, timeouts held inside API Gateway's 30 s). */
  served: Gateway;
  settings: AwsSettings;
  /** The SDK clients, with their bounded attempts and timeouts. */
  clients: LambdaSdkClients;
}

/**
 * The AWS composition root, the twin of `wireLocal`: DynamoDB stores, the KMS envelope box and
 * the deploy-time secrets it decrypts, OAuth connections when the gateway has any, the SSRF-guarded undici client, the system clock and JSON
 * logs to stdout (CloudWatch). Built once per cold start. The SDK clients have bounded attempts and
 * timeouts (`wire-aws-clients.ts`) and take their region, credentials
 * and endpoints from the Lambda environment (`AWS_ENDPOINT_URL_DYNAMODB` / `_KMS` when a test
 * points them at loopback stand-ins).
 */
export async function wireAws(definitionJson: string, settings: AwsSettings): Promise<AwsGateway> {
  const gateway = parseBundledDefinition(definitionJson);
  const log = jsonLog((line) => process.stdout.write(`${line}\n`));
  const { document: client, kms } = createLambdaSdkClients(settings.region);
  const box = new KmsSecretBox({ kms, keyId: settings.keyArn, gatewayId: gateway.id });
  const secrets = new KmsSecretSource({ kms, keyId: settings.keyArn, gateway, ciphertexts: settings.secretCiphertexts, box });
  secrets.warm();
  const ports: EnginePorts = {
    tokens: new DynamoTokenStore({ client, tableName: settings.tables.tokens }),
    rateLimiter: new DynamoRateLimiter({ client, tableName: settings.tables.rateLimits }),
    // Each record also becomes an EMF line on stdout: CloudWatch's metrics, with no extra call or IAM.
    audit: emfAuditSink(new DynamoAuditSink({ client, tableName: settings.tables.audit, retentionDays: settings.auditRetentionDays }), (line) =>
      process.stdout.write(`${line}\n`),
    ),
    secrets,
    upstream: new UndiciUpstreamClient(),
    clock: systemClock,
    log,
    hashToken: nodeTokenHasher,
  };
  if (Object.keys(gateway.connections).length > 0) {
    // Tokens are sealed with this gateway's envelope key; the role may read and write only the
    // connections table's items (no Scan: listing is the operator CLI's job). Loaded only here:
    // a gateway without connections never evaluates the OAuth code at cold start.
    const { createOAuth } = await import("../../oauth/wire-oauth.ts");
    const oauth = createOAuth({
      gateways: [gateway],
      box,
      secrets,
      audit: ports.audit,
      log,
      clock: systemClock,
      store: new DynamoConnectionStore({ client, tableName: settings.tables.connections }),
    });
    ports.connections = oauth.connections;
    ports.oauthRoutes = oauth.oauthRoutes;
  }
  // On the API Gateway door the upstream gets what API Gateway's 30 s leave after the store budget.
  const served = settings.frontDoor === "api" ? apiDoorGateway(gateway) : gateway;
  return { engine: createEngine({ gateways: [served], ports }), gateway, served, settings, clients: { document: client, kms } };
}

/** Reads the definition and the secret ciphertexts bundled next to the code and the environment, then wires. */
export async function wireAwsFromEnvironment(env: Record<string, string | undefined> = process.env): Promise<AwsGateway> {
  const settings = readAwsSettings(env);
  const [definition, ciphertexts] = await Promise.all([
    readFile(new URL(`./${DEFINITION_FILE}`, import.meta.url), "utf8"),
    readFile(new URL(`./${SECRETS_FILE}`, import.meta.url), "utf8"),
  ]);
  return wireAws(definition, { ...settings, secretCiphertexts: parseCiphertexts(ciphertexts) });
}
