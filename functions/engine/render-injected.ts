import { headerValueProblem } from "../../schema/headers.ts";
import { isBasicAuth, type InjectValue } from "../../schema/inject-value.ts";
import type { SecretRef } from "../../schema/secret.ts";
import type { SecretSource } from "../ports/secret-box.ts";

/**
 * One injected header's value, built at request time, and the secret values it holds (the
 * response is scrubbed of each: the raw secrets, and for Basic the base64 credentials too, which
 * is what an upstream echoing `Authorization` would reflect). A secret that cannot be had, or
 * cannot be a header value, is a problem naming the secret, never its value.
 */
export async function renderInjected(
  gatewayId: string,
  value: InjectValue,
  secrets: SecretSource,
): Promise<{ ok: true; value: string; secrets: string[] } | { ok: false; problem: string }> {
  if (typeof value === "string") return { ok: true, value, secrets: [] };
  if (!isBasicAuth(value)) {
    const revealed = await reveal(gatewayId, value, secrets);
    if (!revealed.ok) return revealed;
    return { ok: true, value: value.prefix === undefined ? revealed.value : value.prefix + revealed.value, secrets: [revealed.value] };
  }
  const user = typeof value.username === "string" ? { ok: true as const, value: value.username } : await reveal(gatewayId, value.username, secrets);
  if (!user.ok) return user;
  if (typeof value.username !== "string" && user.value.includes(":")) {
    return { ok: false, problem: `secret ${value.username.name} holds ':', which a Basic user name cannot carry (RFC 7617)` };
  }
  const pass = typeof value.password === "string" ? { ok: true as const, value: value.password } : await reveal(gatewayId, value.password, secrets);
  if (!pass.ok) return pass;
  const credentials = base64Utf8(`${user.value}:${pass.value}`);
  const held = [credentials];
  if (typeof value.username !== "string") held.push(user.value);
  if (typeof value.password !== "string") held.push(pass.value);
  return { ok: true, value: `Basic ${credentials}`, secrets: held };
}

async function reveal(gatewayId: string, ref: SecretRef, secrets: SecretSource): Promise<{ ok: true; value: string } | { ok: false; problem: string }> {
  let value: string;
  try {
    value = await secrets.reveal(gatewayId, ref.name);
  } catch {
    return { ok: false, problem: `secret ${ref.name} could not be revealed` };
  }
  const problem = headerValueProblem(value);
  return problem ? { ok: false, problem: `secret ${ref.name} ${problem}` } : { ok: true, value };
}

/** RFC 7617 with `charset="UTF-8"`: the credentials' UTF-8 bytes, base64 (web-standard `btoa` takes bytes as a binary string). */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
