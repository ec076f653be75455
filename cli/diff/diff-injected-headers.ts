import { injectSecretNames, type InjectValue } from "../../schema/inject-value.ts";
import { canonicalJson } from "../../schema/revision.ts";
import { describeInjectValue } from "../describe-inject.ts";
import type { Change } from "./change.ts";
import { code } from "./words.ts";

/** Where an injected value comes from, never the value: "secret `NAME`", `"Bearer " + secret `NAME``, "a literal value". */
export function describeSource(value: InjectValue): string {
  return describeInjectValue(value, code);
}

/**
 * Injected header changes, by header name. Values never appear: a secret is named, a literal
 * (never a credential: Authorization must be a secret) is only said to have changed. Adding a
 * header, or reading a secret the header did not read before (another secret, a literal turned
 * secret, Basic credentials gaining one), widens: the gateway now hands a credential it did not
 * hand before to the upstream on every client's behalf. Any other change of form (a prefix, a
 * literal replacing a secret) is neutral. A change of a secret's value happens outside the
 * definition and so is never seen here.
 */
export function diffInjectedHeaders(slug: string, before: Record<string, InjectValue>, after: Record<string, InjectValue>): Change[] {
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
    } else if (was !== undefined && now !== undefined && canonicalJson(was) !== canonicalJson(now)) {
      const read = new Set(injectSecretNames(was));
      const widens = injectSecretNames(now).some((n) => !read.has(n));
      if (describeSource(now) === describeSource(was)) {
        // Only a literal changed (a literal header, or Basic credentials' literal user name).
        changes.push({
          effect: "neutral",
          kind: "inject",
          subject,
          text: `literal ${typeof now === "string" ? "value" : "part"} of header ${header} injected on ${code(slug)} changed (values are not shown)`,
        });
      } else {
        changes.push({
          effect: widens ? "widening" : "neutral",
          kind: "inject",
          subject,
          text: `header ${header} injected on ${code(slug)} ${widens ? "now comes from" : "is now"} ${describeSource(now)} instead of ${describeSource(was)}`,
        });
      }
    }
  }
  return changes;
}
