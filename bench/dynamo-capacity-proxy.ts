import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** One DynamoDB call that went through the proxy and what it cost. */
export interface ProxiedCall {
  /** `PutItem`, `UpdateItem`, `GetItem`, ... */
  operation: string;
  table: string;
  /** Capacity units dynalite reported (null: none, e.g. a failed conditional write). */
  units: number | null;
  /** The error type when the call failed (`ConditionalCheckFailedException`). */
  error: string | null;
}

/** A loopback proxy in front of dynalite that asks every call for its consumed capacity. */
export interface CapacityProxy {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint: string;
  calls: ProxiedCall[];
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 that forwards DynamoDB JSON calls to `target` with
 * `ReturnConsumedCapacity: "TOTAL"` added, and records the operation, table and the capacity
 * the answer reports. It lets the bench count what the built Lambda bundle consumes without
 * touching the bundle. dynalite checks the signature's form, not its value, so the changed body
 * is accepted; the answer goes back byte for byte (its CRC32 header stays right).
 */
export async function startCapacityProxy(target: string): Promise<CapacityProxy> {
  const calls: ProxiedCall[] = [];
  const upstream = new URL(target);
  const server = createServer(async (req, res) => {
    const body = JSON.parse((await readAll(req)).toString("utf8") || "{}") as Record<string, unknown>;
    const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "?";
    body.ReturnConsumedCapacity = "TOTAL";
    const payload = Buffer.from(JSON.stringify(body));
    const headers = { ...req.headers, host: upstream.host, "content-length": String(payload.byteLength) };
    // A fresh connection per call (agent: false): a pooled one that dynalite closed while idle
    // would fail the call here, and the function would see a store error the bench did not cause.
    const target = { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, agent: false };
    const forwarded = request(target, async (answer) => {
      const bytes = await readAll(answer);
      const parsed = JSON.parse(bytes.toString("utf8") || "{}") as { ConsumedCapacity?: { CapacityUnits?: number }; __type?: string };
      calls.push({
        operation,
        table: String(body.TableName ?? "?"),
        units: parsed.ConsumedCapacity?.CapacityUnits ?? null,
        error: parsed.__type ? parsed.__type.split("#").pop()! : null,
      });
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      res.end(bytes);
    });
    forwarded.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    forwarded.end(payload);
  });
  // The function's SDK keeps its sockets to the proxy open between calls; a server closing them
  // after Node's default 5 s idle races with a call sent on one. The bench's runs are short.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
