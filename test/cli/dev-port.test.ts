import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { main } from "../../cli/main.ts";
import { recordingIo } from "../helpers/recording-io.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let holder: Server;
let port: number;

beforeAll(async () => {
  holder = createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  port = (holder.address() as AddressInfo).port;
});
afterAll(async () => new Promise<void>((resolve) => holder.close(() => resolve())));

describe("gatehouse dev on a busy port", () => {
  it("exits 1 saying the port is taken and how to pick another, with no stack trace", async () => {
    const io = recordingIo(repo, { QUICKSTART_DEMO_KEY: "k" });
    const code = await main(["dev", "examples/quickstart/gateway.ts", "--memory", "--port", String(port)], io);
    expect(code).toBe(1);
    expect(io.stderr()).toContain(
      `gatehouse dev: port ${port} on 127.0.0.1 is already in use; stop what holds it or pick another with --port <n> (--port 0 takes any free port)`,
    );
    expect(io.stderr()).not.toMatch(/\n\s+at /);
    expect(io.stdout()).not.toContain("Gatehouse dev server on");
  });
});
