import { createHash } from "node:crypto";

/** Namespace of Gatehouse gateway ids (a fixed random UUID; changing it would move every URL). */
const NAMESPACE = "4f1c9a52-7d3e-4b8a-9c61-2e5d8f0a7b34";

/**
 * The gateway's URL id when the definition gives none: a UUID v5 of its name, so it is the same
 * on every deploy and every machine. Renaming a gateway changes it; set `id` to keep old URLs.
 *
 * @example
 * gatewayIdFromName("acme") // always the same UUID
 */
export function gatewayIdFromName(name: string): string {
  const ns = Buffer.from(NAMESPACE.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
