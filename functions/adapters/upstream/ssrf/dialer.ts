import type { buildConnector } from "undici";

/** An undici connector: `(options, callback)`, called once for every new socket. */
export type Connector = ReturnType<typeof buildConnector>;
/** What undici passes to a connector. */
export type ConnectOptions = Parameters<Connector>[0];
/** undici's connect callback: `(null, socket)` or `(error, null)`. */
export type ConnectCallback = Parameters<Connector>[1];
/** Opens the socket to an already checked IP; same shape as undici's connector. */
export type Dialer = Connector;
