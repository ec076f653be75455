import { connect, type Socket } from "node:net";

/** A raw TCP connection to a server, for requests a normal HTTP client would not send. */
export interface RawClient {
  socket: Socket;
  /** Everything received so far, as latin1 text. */
  received(): string;
  write(text: string): void;
  /** Resolves when the received text matches `pattern` (rejects after `timeoutMs` with what arrived). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
  close(): void;
}

/** Opens a raw connection to `url`'s host and port (loopback only in our tests). */
export async function rawClient(url: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let text = "";
  const listeners = new Set<() => void>();
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString("latin1");
    for (const l of listeners) l();
  });
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return {
    socket,
    received: () => text,
    write: (data) => void socket.write(data),
    closed,
    close: () => socket.destroy(),
    waitFor(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(text);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; received: ${JSON.stringify(text.slice(0, 400))}`));
        }, timeoutMs);
        listeners.add(check);
        void closed.then(() => setTimeout(check, 0));
        check();
      });
    },
  };
}
