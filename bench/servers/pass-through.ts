// What the bench's plain Node servers share: the bare proxy's pool and header pass-through (the
// SQLite floor is the bare proxy plus the store's writes, so it must forward exactly as it does)
// and the ready line every bench child prints.
import type { IncomingHttpHeaders, Server } from "node:http";
import { Pool } from "undici";

const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer", "proxy-connection", "host"]);

/** The upstream pool: the same keep-alive idle time as gatehouse's UndiciUpstreamClient, and no cap on sockets, like its Agent. */
export function upstreamPool(origin: string): Pool {
  return new Pool(origin, { keepAliveTimeout: 4000 });
}

/** The headers with the hop-by-hop ones (and Host) left out, as a pass-through proxy forwards them. */
export function passHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP.has(name)) out[name] = value;
  return out;
}

/** Listens on a free loopback port and prints the ready line `{"port": n}` the bench waits for. */
export function listenAndSayPort(server: Server): void {
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
  });
}
