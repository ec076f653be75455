import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineGateway, oauth, secret } from "../../schema/index.ts";
import { wireLocal } from "../../functions/front-doors/node/wire-local.ts";
import { recordGateways } from "../../cli/gateway-names.ts";
import { main } from "../../cli/main.ts";
import { recordingIo } from "../helpers/recording-io.ts";
import { pressConnect } from "./support/press-connect.ts";

const gateway = defineGateway({
  name: "local-oauth",
  connections: { gh: oauth.github({ clientId: "Iv1.abc", clientSecret: secret("GH_SECRET"), scopes: ["repo"] }) },
  endpoints: { gh: { upstream: "https://api.github.com", methods: ["GET"], connection: "gh" } },
});

/** The confirm page's button, pressed through the engine as the node front door would pass it. */
async function start(local: Awaited<ReturnType<typeof wireLocal>>, url: string) {
  return (await pressConnect((request) => local.engine.handle(request), url)).start;
}

describe("wireLocal wires OAuth", () => {
  it("memory: connections and the connect routes are served; GitHub URLs are the preset's", async () => {
    const local = await wireLocal({ gateways: [gateway], memory: true, secretValues: { GH_SECRET: "x" }, log: { info() {}, warn() {}, error() {} } });
    try {
      expect(local.oauth).not.toBeNull();
      const session = await local.oauth!.createConnectSession(gateway, "gh", "http://127.0.0.1:8787");
      const response = await start(local, session.url);
      expect(response.status).toBe(303);
      expect(String(response.headers.location)).toMatch(/^https:\/\/github\.com\/login\/oauth\/authorize\?/);
      expect(await local.ports.connections!.accessToken(gateway, "gh")).toMatchObject({ ok: false, status: "not_connected" });
    } finally {
      await local.close();
    }
  });

  it("embedded store: a link made by `gatehouse connect --data` is accepted by the running gateway", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "gatehouse-data-"));
    const local = await wireLocal({ gateways: [gateway], dataDir, secretValues: { GH_SECRET: "x" }, log: { info() {}, warn() {}, error() {} } });
    // As `gatehouse dev` does after wiring: the CLI finds the gateway and its connections by name.
    await recordGateways(dataDir, [gateway]);
    try {
      const io = recordingIo(dataDir);
      expect(await main(["connect", "local-oauth", "gh", "--data", dataDir, "--base-url", "http://127.0.0.1:8787"], io)).toBe(0);
      const url = io
        .stdout()
        .split("\n")
        .find((line) => line.startsWith("http"))!;
      expect((await start(local, url)).status).toBe(303);
      expect((await start(local, url)).status).toBe(410);
    } finally {
      await local.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
