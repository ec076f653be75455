import { afterAll, afterEach } from "vitest";
import { defineGateway, secret } from "../../../schema/index.ts";
import type { ConnectionInput } from "../../../schema/connection.ts";
import type { EndpointOverrides } from "../../../functions/oauth/provider-preset.ts";
import { presetHarness, startStandIn, STAND_IN_CLIENT, type PresetHarness, type ProviderStandIn } from "./provider-harness.ts";

/** An hour in milliseconds, for advancing the test clock past token lifetimes. */
export const HOUR = 3600_000;

/** The stand-in's client as a definition names it (the secret resolves to {@link STAND_IN_CLIENT}'s). */
export const client = { clientId: STAND_IN_CLIENT.id, clientSecret: secret("CLIENT_SECRET") };

/**
 * A stand-in provider for the tests of one file: started now (call it at the file's top level
 * with `await`), stopped after the file; after each test its request log is emptied and the
 * harnesses {@link presetGateway} made are closed.
 */
export async function standInForFile(): Promise<ProviderStandIn> {
  const standIn = await startStandIn();
  afterAll(() => standIn.close());
  afterEach(async () => {
    standIn.seen.length = 0;
    for (const h of open.splice(0)) await h.close();
  });
  return standIn;
}

/** Harnesses made by {@link presetGateway} and not closed yet. */
const open: PresetHarness[] = [];

/** A harness for a one-endpoint gateway `presets` whose connection `conn` is `connection`, against `endpoints`. */
export function presetGateway(connection: ConnectionInput, endpoints: EndpointOverrides): PresetHarness {
  const gateway = defineGateway({
    name: "presets",
    connections: { conn: connection },
    endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"], connection: "conn" } },
  });
  const h = presetHarness(gateway, endpoints, "CLIENT_SECRET");
  open.push(h);
  return h;
}

/** The harness's OAuth audit as `event:decision` strings, in order. */
export function tokenEvents(h: PresetHarness): string[] {
  return h.audit.records.map((r) => `${r.event}:${r.decision}`);
}
