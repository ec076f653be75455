import type { InputChange } from "./infra-change.ts";

/** The DynamoDB table type token. */
export const TABLE_TYPE = "aws:dynamodb/table:Table";

type Inputs = Record<string, unknown>;
const get = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Inputs)[k] : undefined), value);

const PROTECTIONS: Array<{ path: string; has: (inputs: Inputs) => boolean; lost: string }> = [
  { path: "pointInTimeRecovery.enabled", has: (i) => get(i, "pointInTimeRecovery", "enabled") === true, lost: "point-in-time recovery switched off" },
  { path: "serverSideEncryption.enabled", has: (i) => get(i, "serverSideEncryption", "enabled") === true, lost: "server-side encryption switched off" },
  {
    path: "serverSideEncryption.kmsKeyArn",
    // Encryption stays on with an AWS owned key, but the gateway's own key (its policy, its audit trail) no longer guards the data.
    has: (i) => get(i, "serverSideEncryption", "enabled") === true && typeof get(i, "serverSideEncryption", "kmsKeyArn") === "string",
    lost: "server-side encryption no longer uses the gateway's customer managed key",
  },
  { path: "deletionProtectionEnabled", has: (i) => i.deletionProtectionEnabled === true, lost: "deletion protection switched off" },
];

/**
 * The protections a table had at base and lacks at head, each as a `protection-lost` change that
 * replaces the plain input change at the same path. Gaining a protection is an ordinary change.
 */
export function lostTableProtections(before: Inputs, after: Inputs): InputChange[] {
  const lost: InputChange[] = [];
  for (const p of PROTECTIONS) {
    if (!p.has(before) || p.has(after)) continue;
    // Switching SSE off altogether already says the key is gone.
    if (p.path === "serverSideEncryption.kmsKeyArn" && lost.some((c) => c.path === "serverSideEncryption.enabled")) continue;
    lost.push({ path: p.path, text: p.lost, flag: "protection-lost" });
  }
  return lost;
}
