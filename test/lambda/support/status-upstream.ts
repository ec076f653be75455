import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback upstream on 127.0.0.1 for the answers that carry no body and the slow one:
 * `/status/<code>` answers that status with no body (`Location` for 3xx, `ETag` for 304),
 * `/bytes/<n>` answers n bytes chunked (byte i of 64 KiB chunk k is k mod 251), `/slow` answers
 * after `slowMs`, anything else a small JSON echo. Records each request target.
 */
export async function startStatusUpstream(slowMs = 3_000): Promise<{ origin: string; seen: string[]; stop(): Promise<void> }> {
  const seen: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const url = req.url ?? "";
      seen.push(`${req.method} ${url}`);
      const status = /\/status\/(\d{3})/.exec(url);
      if (status) {
        const code = Number(status[1]);
        const headers: Record<string, string> = { "x-upstream": "status", "set-cookie": "seen=1; Path=/" };
        if (code >= 300 && code < 400 && code !== 304) headers.location = "https://example.test/moved?to=here";
        if (code === 304) headers.etag = '"v1"';
        res.writeHead(code, headers);
        res.end();
        return;
      }
      const bytes = /\/bytes\/(\d+)/.exec(url);
      if (bytes) {
        // Chunked (no Content-Length), in 64 KiB writes: a body that can only be streamed.
        res.writeHead(200, { "content-type": "application/octet-stream" });
        let left = Number(bytes[1]);
        let n = 0;
        while (left > 0) {
          const size = Math.min(65_536, left);
          res.write(Buffer.alloc(size, n++ % 251));
          left -= size;
        }
        res.end();
        return;
      }
      if (url.includes("/slow")) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          res.end("late");
        }, slowMs);
        timers.add(timer);
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ method: req.method, url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
