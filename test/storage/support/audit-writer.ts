// A process that opens the SQLite store of a folder, writes one audit record (so it holds the
// store's open marker, as a server does), says {"ready":true} and then waits to be killed. Used
// by sqlite-integrity.test.ts to leave a store behind the way kill -9 leaves it.
import { openSqliteStore } from "../../../functions/adapters/sqlite/open-sqlite-store.ts";
import { auditRecord } from "../../contract/audit-sink-contract.ts";

const store = openSqliteStore(process.argv[2]!);
await store.audit.write(auditRecord({ requestId: "req_from_the_killed_writer", time: Date.now() }));
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
setInterval(() => {}, 60_000);
