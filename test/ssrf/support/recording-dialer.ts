import { Socket } from "node:net";
import { buildConnector } from "undici";
import type { ConnectOptions, Dialer } from "../../../functions/adapters/upstream/ssrf/index.ts";

/** A dialer plus the options of every dial it was asked to make. */
export interface RecordingDialer {
  dial: Dialer;
  dials: ConnectOptions[];
  /** The `hostname` (the address net/tls would connect to) of every dial. */
  readonly addresses: string[];
}

/**
 * Records each dial and answers with a fresh, never-connected socket: nothing is sent
 * anywhere. For tests of what the guard would connect to.
 */
export function recordingDialer(): RecordingDialer {
  const dials: ConnectOptions[] = [];
  return {
    dials,
    get addresses() {
      return dials.map((options) => options.hostname);
    },
    dial: (options, callback) => {
      dials.push({ ...options });
      const socket = new Socket();
      queueMicrotask(() => callback(null, socket));
    },
  };
}

/**
 * Records each dial, then really dials it with undici's stock connector, but only loopback
 * (127.0.0.0/8, ::1): anything else fails the test instead of leaving the machine.
 */
export function loopbackRecordingDialer(): RecordingDialer {
  const dials: ConnectOptions[] = [];
  const real = buildConnector({ timeout: 2000 });
  return {
    dials,
    get addresses() {
      return dials.map((options) => options.hostname);
    },
    dial: (options, callback) => {
      dials.push({ ...options });
      if (!/^127\./.test(options.hostname) && options.hostname !== "::1") {
        callback(new Error(`test dialer refuses to leave loopback: ${options.hostname}`), null);
        return;
      }
      real(options, callback);
    },
  };
}

/** Calls a connector the way undici does and settles with its error or socket. */
export function connectOnce(connector: Dialer, options: ConnectOptions): Promise<{ error: (Error & Record<string, unknown>) | null; socket: Socket | null }> {
  return new Promise((resolve) => {
    connector(options, (error, socket) => {
      socket?.destroy();
      resolve({ error: error as (Error & Record<string, unknown>) | null, socket: socket ?? null });
    });
  });
}

/** The options undici's Client passes to its connector for a URL. */
export function undiciConnectOptions(url: string): ConnectOptions {
  const parsed = new URL(url);
  const hostname = parsed.hostname.startsWith("[") ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return { host: parsed.host, hostname, protocol: parsed.protocol, port: parsed.port };
}
