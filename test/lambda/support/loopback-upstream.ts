import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the upstream received. */
export interface SeenRequest {
  method: string;
  /** The request target exactly as it arrived (path and query, raw). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Bytes of a 1×1 PNG, with values that are not valid UTF-8. */
export const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

/** Two cookies, one with a comma in its date (why cookies must never be comma-joined). */
export const SET_COOKIES = ["sid=s3ss10n; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; Secure", "pref=compact; Path=/"];

/**
 * A loopback upstream on 127.0.0.1: records every request; answers `*.png` with PNG bytes and
 * anything else with a JSON echo, two Set-Cookie headers and a repeated header.
 */
export async function startLoopbackUpstream(): Promise<{ origin: string; seen: SeenRequest[]; stop(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      if ((req.url ?? "").includes(".png")) {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(PNG);
        return;
      }
      res.setHeader("content-type", "application/json; charset=utf-8");
      res.setHeader("set-cookie", SET_COOKIES);
      res.setHeader("x-upstream-multi", ["first", "second"]);
      res.end(JSON.stringify({ method: req.method, url: req.url, bytes: body.byteLength }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, seen, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
