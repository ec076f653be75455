import { isSecretRef, type SecretRef } from "../../schema/secret.ts";
import type { Change } from "./change.ts";
import { code } from "./words.ts";

type Injected = string | SecretRef;

/** Where an injected value comes from, never the value: "secret `NAME`" or "a literal value". */
export function describeSource(value: Injected): string {
  return isSecretRef(value) ? `secret ${code(value.name)}` : "a literal value";
}

/**
 * Injected header changes, by header name. Values never appear: a secret is named, a literal
 * (never a credential: Authorization must be a secret) is only said to have changed. Adding a
 * header, or taking it from another secret, widens: the gateway now hands a credential it did not
 * hand before to the upstream on every client's behalf. A literal replacing a secret is neutral.
 * A change of a secret's value happens outside the definition and so is never seen here.
 */
export function diffInjectedHeaders(slug: string, before: Record<string, Injected>, after: Record<string, Injected>): Change[] {
  const subject = `endpoint:${slug}`;
  const changes: Change[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const name of names) {
    const was = before[name];
    const now = after[name];
    const header = code(name);
    if (was === undefined && now !== undefined) {
      changes.push({ effect: "widening", kind: "inject", subject, text: `${code(slug)} now injects header ${header} from ${describeSource(now)}` });
    } else if (now === undefined && was !== undefined) {
      changes.push({ effect: "narrowing", kind: "inject", subject, text: `${code(slug)} no longer injects header ${header}` });
    } else if (isSecretRef(now) && (!isSecretRef(was) || was.name !== now.name)) {
      changes.push({
        effect: "widening",
        kind: "inject",
        subject,
        text: `header ${header} injected on ${code(slug)} now comes from ${describeSource(now)} instead of ${describeSource(was!)}`,
      });
    } else if (typeof now === "string" && isSecretRef(was)) {
      changes.push({
        effect: "neutral",
        kind: "inject",
        subject,
        text: `header ${header} injected on ${code(slug)} is now a literal value instead of ${describeSource(was)}`,
      });
    } else if (typeof now === "string" && typeof was === "string" && now !== was) {
      changes.push({
        effect: "neutral",
        kind: "inject",
        subject,
        text: `literal value of header ${header} injected on ${code(slug)} changed (values are not shown)`,
      });
    }
  }
  return changes;
}
