import { createHash } from "node:crypto";
import type { TokenHasher } from "../../ports/token-hasher.ts";

/** The {@link TokenHasher} on Node: `node:crypto`'s native SHA-256. */
export const nodeTokenHasher: TokenHasher = (token) => createHash("sha256").update(token, "utf8").digest("hex");
