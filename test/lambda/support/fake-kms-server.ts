import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback stand-in for KMS (AWS JSON 1.1, `TrentService.*`), for code running in another process. */
export interface FakeKmsServer {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_KMS`. */
  endpoint: string;
  keyArn: string;
  /** Encrypts like KMS Encrypt would; returns the base64 CiphertextBlob. */
  encrypt(plaintext: string, context: Record<string, string>): string;
  /** Operations received, in order (`Decrypt`, `GenerateDataKey`, ...), with their context. */
  calls: Array<{ operation: string; context: Record<string, string> | undefined }>;
  stop(): Promise<void>;
}

const sameContext = (a: Record<string, string> = {}, b: Record<string, string> = {}) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * KMS semantics that matter to Gatehouse: ciphertexts are opaque handles, Decrypt needs the exact
 * encryption context (else InvalidCiphertextException), GenerateDataKey returns a 32-byte key
 * and its handle. Listens on 127.0.0.1 only.
 */
export async function startFakeKmsServer(keyArn = "arn:aws:kms:us-east-1:123456789012:key/fake-envelope"): Promise<FakeKmsServer> {
  const blobs = new Map<string, { plaintext: Buffer; context: Record<string, string> | undefined }>();
  const calls: FakeKmsServer["calls"] = [];
  const remember = (plaintext: Buffer, context: Record<string, string> | undefined) => {
    const blob = randomBytes(64);
    blobs.set(blob.toString("base64"), { plaintext, context });
    return blob.toString("base64");
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const operation = String(req.headers["x-amz-target"] ?? "").replace("TrentService.", "");
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      const context = input.EncryptionContext as Record<string, string> | undefined;
      calls.push({ operation, context });
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(body));
      };
      if (input.KeyId !== undefined && input.KeyId !== keyArn) return reply(400, { __type: "NotFoundException", message: "key not found" });
      if (operation === "GenerateDataKey") {
        const plaintext = randomBytes(32);
        return reply(200, { KeyId: keyArn, Plaintext: plaintext.toString("base64"), CiphertextBlob: remember(plaintext, context) });
      }
      if (operation === "Decrypt") {
        const entry = blobs.get(String(input.CiphertextBlob));
        if (!entry || !sameContext(entry.context, context)) return reply(400, { __type: "InvalidCiphertextException", message: "invalid ciphertext" });
        return reply(200, { KeyId: keyArn, Plaintext: entry.plaintext.toString("base64") });
      }
      return reply(400, { __type: "UnsupportedOperationException", message: operation });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    keyArn,
    encrypt: (plaintext, context) => remember(Buffer.from(plaintext, "utf8"), context),
    calls,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
