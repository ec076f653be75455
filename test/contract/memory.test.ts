import { MemoryAuditSink } from "../../functions/adapters/memory/memory-audit-sink.ts";
import { MemoryRateLimiter } from "../../functions/adapters/memory/memory-rate-limiter.ts";
import { MemoryTokenStore } from "../../functions/adapters/memory/memory-token-store.ts";
import { auditSinkContract } from "./audit-sink-contract.ts";
import { rateLimiterContract } from "./rate-limiter-contract.ts";
import { tokenStoreContract } from "./token-store-contract.ts";

tokenStoreContract("memory", async () => new MemoryTokenStore());
rateLimiterContract("memory", async () => new MemoryRateLimiter());
auditSinkContract("memory", async () => new MemoryAuditSink());
