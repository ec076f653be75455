import { CONNECT_SESSION_TTL_MS, createConnectSession } from "../../functions/oauth/create-connect-session.ts";
import { findGateway, requireKnown } from "../find-gateway.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import type { Command } from "../command.ts";
import { parseCommandArgs } from "../command-args.ts";
import { parseDuration } from "../parse-duration.ts";
import { STORE_USAGE } from "../store-flags.ts";
import { CONNECTION_STORE_OPTIONS, openConnectionStore } from "./connections.ts";

/** `gatehouse connect <gateway> <connection>`: a one-time connect link for a person to open. */
export const command: Command = {
  summary: "Print a one-time link that connects an OAuth connection (GitHub, Google, Slack, ...).",
  usage: `gatehouse connect <gateway> <connection> [--base-url http://127.0.0.1:8787] [--expires 10m] ${STORE_USAGE}`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      ...CONNECTION_STORE_OPTIONS,
      "base-url": { type: "string", default: "http://127.0.0.1:8787" },
      expires: { type: "string" },
    });
    const [gatewayName, connection, ...extra] = positionals;
    if (!gatewayName || !connection || extra.length) throw new UsageError("say which gateway and which connection");
    let ttlMs = CONNECT_SESSION_TTL_MS;
    if (values.expires !== undefined) {
      const parsed = parseDuration(values.expires);
      if (parsed === null || parsed > 24 * 3_600_000) throw new UsageError("--expires is a duration up to 24h, like 10m");
      ttlMs = parsed;
    }
    const gateway = await findGateway(gatewayName, values, io);
    requireKnown(gateway, "connection", [connection]);
    const opened = await openConnectionStore(values, io, gatewayName);
    try {
      const session = await createConnectSession(opened.store, { gatewayId: gateway.id, connection, baseUrl: values["base-url"], now: Date.now(), ttlMs });
      io.out(
        `Open this link in a browser to connect '${connection}' of gateway ${gateway.name ?? gateway.id} (works once, until ${new Date(session.expiresAt).toISOString()}):`,
      );
      io.out(session.url);
      io.out(`Afterwards: gatehouse connections show ${gateway.name ?? gateway.id} ${connection}`);
      return EXIT.ok;
    } finally {
      await opened.close();
    }
  },
};
