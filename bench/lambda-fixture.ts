import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { defineGateway } from "../schema/index.ts";
import type { Gateway } from "../schema/gateway.ts";
import { createTables } from "../functions/adapters/aws/create-tables.ts";
import { createDocumentClient, LOCAL_CREDENTIALS } from "../functions/adapters/aws/dynamo-client.ts";
import { DynamoTokenStore } from "../functions/adapters/aws/dynamo-token-store.ts";
import { tableNames, type TableNames } from "../functions/contracts/tables.ts";
import { issueToken } from "../functions/tokens/issue-token.ts";
import { writeLambdaArchive } from "../infra/write-lambda-archive.ts";
import { startDynalite } from "../test/helpers/start-dynalite.ts";

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL("../functions/front-doors/lambda/invoke-locally.mjs", import.meta.url));

/** What one fresh `node` process running the bundle reported. */
export interface RunOutput {
  node: string;
  importMs: number;
  results: Array<{ durationMs: number; result: { statusCode: number } }>;
  /** Bytes the function printed (its JSON log lines), as CloudWatch Logs would ingest them. */
  stdoutBytes: number;
}

/** The Lambda benches' stand-ins: dynalite, a loopback upstream, the built archive, and a way to run it. */
export interface LambdaFixture {
  gateway: Gateway;
  tables: TableNames;
  /** `http://127.0.0.1:<port>` of dynalite itself. */
  dynamoEndpoint: string;
  /** A fresh client token of the gateway, for all endpoints. */
  token(): Promise<string>;
  /** A payload v2 GET event for `/api/<id>/proxy/<slug><tail>` with `Authorization: Bearer <token>`. */
  event(token: string, slug?: "echo" | "limited", tail?: string): Record<string, unknown>;
  /** Runs `events` one after another in a fresh process (invoke-locally.mjs), the first on a cold instance. */
  run(events: Array<Record<string, unknown>>, bundleDir?: string): Promise<RunOutput>;
  /** The directory of the gateway's archive (index.mjs, definition, secrets). */
  bundleDir: string;
  /** A scratch directory removed by `stop`. */
  dir: string;
  stop(): Promise<void>;
}

/** Options of {@link startLambdaFixture}. */
export interface FixtureOptions {
  /** The `node` binary. @default process.execPath */
  node?: string;
  /** What the function's DynamoDB client talks to, given dynalite's endpoint (a proxy in front of it, say). @default dynalite itself */
  dynamoEndpoint?: (dynalite: string) => string | Promise<string>;
  /** What the function's KMS client talks to. @default a closed port (the gateway has no secrets) */
  kmsEndpoint?: string;
  /** Upstream handler. @default 200 `{"ok":true}` */
  upstream?: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Starts dynalite and an upstream on 127.0.0.1, creates the tables, and writes the deployed
 * archive of a gateway with two endpoints: `echo` (a per-token limit far above any bench load)
 * and `limited` (one request per minute per token, for 429s). Lambda's own runtime is not
 * involved: `run` imports the bundle in a fresh process as the runtime would.
 */
export async function startLambdaFixture(options: FixtureOptions = {}): Promise<LambdaFixture> {
  const node = options.node ?? process.execPath;
  const dynalite = await startDynalite();
  const upstream = createServer(options.upstream ?? ((_req, res) => res.end('{"ok":true}')));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const dir = await mkdtemp(join(tmpdir(), "gatehouse-lambda-bench-"));
  const client = createDocumentClient({ region: "us-east-1", endpoint: dynalite.endpoint, credentials: LOCAL_CREDENTIALS });
  const tables = tableNames("bench");
  await createTables(client, tables);
  const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
  const endpoint = { upstream: origin, timeoutSeconds: 10, unsafeAllowPrivateNetworks: ["127.0.0.1/32"] };
  const gateway = defineGateway({
    name: "lambda-bench",
    endpoints: {
      echo: { ...endpoint, methods: ["GET"], rateLimit: { perMinute: 100_000, perHour: 1_000_000 } },
      limited: { ...endpoint, methods: ["GET"], rateLimit: { perMinute: 1 } },
    },
  });
  const bundleDir = join(dir, "bundle");
  await writeLambdaArchive(bundleDir, gateway);
  const tokens = new DynamoTokenStore({ client, tableName: tables.tokens });
  const env = {
    PATH: process.env.PATH ?? "",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamoEndpoint ? await options.dynamoEndpoint(dynalite.endpoint) : dynalite.endpoint,
    // No secrets in this gateway: KMS is never called, but must never be AWS either.
    AWS_ENDPOINT_URL_KMS: options.kmsEndpoint ?? "http://127.0.0.1:9",
    GATEHOUSE_TABLES: JSON.stringify(tables),
    GATEHOUSE_KEY_ARN: "arn:aws:kms:us-east-1:123456789012:key/bench",
  };
  let runs = 0;
  return {
    gateway,
    tables,
    dynamoEndpoint: dynalite.endpoint,
    bundleDir,
    dir,
    token: async () => (await issueToken(tokens, { gatewayId: gateway.id, label: "bench", endpoints: null, now: Date.now() })).token,
    event: (token, slug = "echo", tail = "/items") => {
      const path = `/api/${gateway.id}/proxy/${slug}${tail}`;
      return {
        version: "2.0",
        routeKey: "$default",
        rawPath: path,
        rawQueryString: "",
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        requestContext: { http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "bench" } },
        isBase64Encoded: false,
      };
    },
    async run(events, dirOfBundle = bundleDir) {
      runs += 1;
      const requestFile = join(dir, `request-${runs}.json`);
      const resultFile = join(dir, `result-${runs}.json`);
      await writeFile(requestFile, JSON.stringify({ handler: "handler", events }));
      const { stdout } = await run(node, [RUNNER, dirOfBundle, requestFile, resultFile], { env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
      const out = JSON.parse(await readFile(resultFile, "utf8")) as Omit<RunOutput, "stdoutBytes">;
      return { ...out, stdoutBytes: Buffer.byteLength(stdout) };
    },
    async stop() {
      client.destroy();
      upstream.closeAllConnections();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
      await dynalite.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
