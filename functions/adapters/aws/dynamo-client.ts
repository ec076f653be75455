import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** Where and as whom to talk to DynamoDB. */
export interface DynamoClientOptions {
  region: string;
  /** A DynamoDB-compatible endpoint (dynalite, a local emulator); omitted for AWS itself. */
  endpoint?: DynamoDBClientConfig["endpoint"];
  /** Omitted: the SDK's default chain (environment, profile, role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call including the first. @default 3 */
  maxAttempts?: number;
  /** Milliseconds to wait for a response (socket idle). @default 5000 */
  requestTimeoutMs?: number;
  /** Milliseconds to wait for a connection, including the wait for a free pooled socket. @default 2000 */
  connectionTimeoutMs?: number;
  /**
   * Pooled sockets. The SDK's 50 suits a Lambda (one request at a time); a local server taking
   * bursts on one process needs more, or queued calls run into the connection timeout.
   * @default 50
   */
  maxSockets?: number;
  /** How failed attempts are retried (the Lambda passes one with a fixed worst case). @default the SDK's standard strategy */
  retryStrategy?: DynamoDBClientConfig["retryStrategy"];
}

/** What the adapters need from a document client; tests wrap it to count calls. */
export type DocumentSender = Pick<DynamoDBDocumentClient, "send">;

export { LOCAL_CREDENTIALS } from "./local-credentials.ts";

/**
 * A document client. Timeouts are short because a hung store must turn into a quick 503, not a
 * request stuck until the client gives up. `undefined` values are dropped when writing (optional
 * record fields are simply absent in the item).
 */
export function createDocumentClient(options: DynamoClientOptions): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.retryStrategy !== undefined ? { retryStrategy: options.retryStrategy } : {}),
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? 5000,
      connectionTimeout: options.connectionTimeoutMs ?? 2000,
      // Without it the SDK only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 50 },
    },
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

/** True for errors that mean "the store did not answer" (as opposed to an answer we dislike). */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  return (typeof code === "string" && ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH"].includes(code)) || name === "TimeoutError";
}
