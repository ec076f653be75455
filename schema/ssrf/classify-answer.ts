import { compileAllowList, type AllowInput } from "./allow-list.ts";
import { classifyAddress, type AddressVerdict } from "./classify-address.ts";
import { parseIp } from "./parse-ip.ts";

/**
 * Decides a whole DNS answer: refused when it is empty or when any one address is blocked
 * or is not a strict IP string (`dns->…` rules), so a mixed public/private answer can never
 * be steered to its private half. Pure: the caller does the lookup.
 */
export function classifyAnswer(answers: ReadonlyArray<{ address: string }>, options: { allow?: AllowInput } = {}): AddressVerdict {
  if (answers.length === 0) {
    return { blocked: true, rule: "dns:empty-answer", reason: "the name resolved to no addresses" };
  }
  const allow = compileAllowList(options.allow);
  const opened: string[] = [];
  for (const { address } of answers) {
    const ip = typeof address === "string" ? parseIp(address) : null;
    if (!ip) {
      return {
        blocked: true,
        rule: "dns->dns:unparseable-answer",
        reason: `the answer '${String(address)}' is not a strict IP address`,
      };
    }
    const verdict = classifyAddress(ip, { allow });
    if (verdict.blocked) {
      return { blocked: true, rule: `dns->${verdict.rule}`, reason: `a blocked address is in the answer: ${verdict.reason}` };
    }
    if (verdict.allowedBy && !opened.includes(verdict.allowedBy)) opened.push(verdict.allowedBy);
  }
  return opened.length > 0 ? { blocked: false, allowedBy: opened.join(", ") } : { blocked: false };
}
