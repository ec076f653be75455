import type * as Undici from "undici";
import AgentClass from "undici/lib/dispatcher/agent.js";
import ClientClass from "undici/lib/dispatcher/client.js";
import DispatcherClass from "undici/lib/dispatcher/dispatcher.js";
import PoolClass from "undici/lib/dispatcher/pool.js";
import api from "undici/lib/api/index.js";
import connect from "undici/lib/core/connect.js";

// The one module that imports undici's values. The package index loads fetch, WebSocket,
// EventSource, the cache stores, interceptors and mocks besides the dispatchers (about 300 KiB
// in the Lambda bundle, and their load time at every cold start), none of which runs here.
// undici has no `exports` map, so its lib/ files are importable; these are the ones its own
// index.js re-exports as Agent, Pool, Client, Dispatcher and buildConnector, and the request API
// it attaches to every dispatcher. Types stay those of the package (lib-modules.d.ts).
Object.assign(DispatcherClass.prototype, api);

/** undici's `Agent`: a pool of pools, one per origin. */
export const Agent: typeof Undici.Agent = AgentClass;
/** An instance of undici's `Agent`. */
export type Agent = Undici.Agent;
/** undici's `Pool`: the connections to one origin. */
export const Pool: typeof Undici.Pool = PoolClass;
/** An instance of undici's `Pool`. */
export type Pool = Undici.Pool;
/** undici's `Client`: one connection. */
export const Client: typeof Undici.Client = ClientClass;
/** An instance of undici's `Client`. */
export type Client = Undici.Client;
/** undici's `Dispatcher` base class, with `request`, `stream`, `pipeline`, `upgrade` and `connect`. */
export const Dispatcher: typeof Undici.Dispatcher = DispatcherClass;
/** An instance of undici's `Dispatcher`. */
export type Dispatcher = Undici.Dispatcher;
/** undici's `buildConnector`: the default socket opener (net/tls). */
export const buildConnector: typeof Undici.buildConnector = connect;
