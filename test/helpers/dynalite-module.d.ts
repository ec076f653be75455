// dynalite ships no types; this is the part we use.
declare module "dynalite" {
  import type { Server } from "node:http";

  /** Options of a dynalite server (see node_modules/dynalite/index.js). */
  interface DynaliteOptions {
    /** LevelDB folder; in memory when omitted. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
  }

  /** Creates an http.Server speaking the DynamoDB API. */
  function dynalite(options?: DynaliteOptions): Server;
  export default dynalite;
}
