import { compileAllowList, type AllowInput } from "./allow-list.ts";
import { ipv4 } from "./ip-address.ts";
import { cidrContains } from "./parse-cidr.ts";
import { parseIp } from "./parse-ip.ts";
import { SSRF_CODES, type StaticRefusal } from "./ssrf-codes.ts";

/**
 * Names of cloud metadata services. They are refused before any lookup and no allowance
 * opens them (their addresses are never allowed either).
 */
export const CLOUD_METADATA_NAMES: readonly string[] = [
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.tencentyun.com",
  "metadata.platformequinix.com",
  "metadata.packet.net",
];

const LABEL = /^[a-z0-9_-]{1,63}$/;
const LOOPBACK_PROBES = [ipv4(127, 0, 0, 1), parseIp("::1")!];

/**
 * Checks a host name (not an IP literal) as WHATWG `URL` gives it: refuses invalid names
 * (over 253 characters, an empty label or one over 63, characters outside letters, digits,
 * `-` and `_`), `localhost` and `*.localhost` (unless an allowance opens loopback), and cloud
 * metadata names. One trailing dot is ignored. Null means "resolve it and check the answer".
 */
export function classifyHostname(hostname: string, options: { allow?: AllowInput } = {}): StaticRefusal | null {
  const lower = hostname.toLowerCase();
  const name = lower.endsWith(".") ? lower.slice(0, -1) : lower;
  const labels = name.split(".");
  if (name.length === 0 || name.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return {
      code: SSRF_CODES.malformed,
      rule: "name:invalid",
      reason: `'${hostname}' is not a valid host name (at most 253 characters, labels of 1 to 63 letters, digits, '-' or '_')`,
    };
  }
  if (CLOUD_METADATA_NAMES.includes(name)) {
    return {
      code: SSRF_CODES.blockedName,
      rule: "name:cloud-metadata",
      reason: `'${name}' is a cloud metadata service name; it can never be an upstream`,
    };
  }
  if (name === "localhost" || name.endsWith(".localhost")) {
    const allow = compileAllowList(options.allow);
    const opened = allow.some((block) => LOOPBACK_PROBES.some((probe) => cidrContains(block, probe)));
    if (!opened) {
      return {
        code: SSRF_CODES.blockedName,
        rule: "name:localhost",
        reason: `'${name}' always means this machine (RFC 6761)`,
      };
    }
  }
  return null;
}
