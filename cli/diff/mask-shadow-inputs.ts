import * as pulumi from "@pulumi/pulumi";
import { MASK, type PlannedResource } from "../../infra/run-under-mocks.ts";

/** Environment variables whose values are ciphertexts (or could be secrets) by their name alone. */
const SECRET_VARIABLE = /SECRET|CIPHERTEXT|PASSWORD/i;

/** Secret values shorter than this are not searched for inside other strings (too many false hits). */
const MIN_SEARCHED_SECRET = 8;

/**
 * Masks one shadow-planned resource's inputs beyond what the mock run already masked (values
 * marked secret, archives): a Ciphertext's `plaintext` whatever its marking; environment variables
 * named like secrets (the component sets none: its ciphertexts travel in the archive's
 * `secrets.json`; a `transform.function` hook may add one): a JSON object keeps its keys with every
 * value masked, anything else is masked whole; and any ciphertext
 * the run produced or secret value it was given, wherever it appears inside a string. What is
 * left is safe to print in a pull-request comment.
 */
export function maskShadowInputs(resource: PlannedResource, known: KnownSecrets): Record<string, unknown> {
  const inputs = scrub(resource.inputs, known) as Record<string, unknown>;
  if (resource.type === "aws:kms/ciphertext:Ciphertext" && "plaintext" in inputs) inputs.plaintext = MASK;
  const variables = (inputs.environment as { variables?: Record<string, unknown> } | undefined)?.variables;
  if (variables && typeof variables === "object") {
    for (const [name, value] of Object.entries(variables)) {
      if (SECRET_VARIABLE.test(name)) variables[name] = maskWhole(value);
    }
  }
  return inputs;
}

/** Strings that must never be printed: the run's ciphertexts and the secret values it was given. */
export interface KnownSecrets {
  values: string[];
}

/** Every ciphertext the mocks computed and every secret input value of a run. */
export function knownSecrets(resources: PlannedResource[]): KnownSecrets {
  const values = new Set<string>();
  for (const r of resources) {
    for (const [key, value] of Object.entries(r.computed)) {
      if (/ciphertext/i.test(key) && typeof value === "string" && value !== "") values.add(value);
    }
    collectSecrets(r.rawInputs, values);
  }
  // Longest first, so a secret that contains another is replaced whole.
  return { values: [...values].filter((v) => v.length >= MIN_SEARCHED_SECRET).sort((a, b) => b.length - a.length) };
}

function collectSecrets(value: unknown, into: Set<string>): void {
  if (pulumi.runtime.isRpcSecret(value)) {
    const inner = pulumi.runtime.unwrapRpcSecret(value);
    if (typeof inner === "string") into.add(inner);
    else if (inner !== undefined && inner !== null) into.add(JSON.stringify(inner));
    return;
  }
  if (Array.isArray(value)) for (const v of value) collectSecrets(v, into);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collectSecrets(v, into);
}

function scrub(value: unknown, known: KnownSecrets): unknown {
  if (typeof value === "string") return known.values.reduce((s, secret) => (s.includes(secret) ? s.split(secret).join(MASK) : s), value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, known));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, known)]));
  return value;
}

/** A JSON object of strings keeps its keys (which secret, not what); anything else becomes the mask. */
function maskWhole(value: unknown): unknown {
  if (typeof value !== "string") return MASK;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return JSON.stringify(
        Object.fromEntries(
          Object.keys(parsed)
            .sort()
            .map((k) => [k, MASK]),
        ),
      );
    }
  } catch {
    // not JSON: masked whole below
  }
  return MASK;
}
