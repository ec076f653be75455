import type { IpAddress } from "./ip-address.ts";

const IPV4_STRICT = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/**
 * Parses a strict IP address: dotted-decimal IPv4 without leading zeros, or RFC 4291 IPv6 text
 * (with an optional dotted IPv4 tail). Brackets, zone ids (`%eth0`), legacy IPv4 spellings and
 * anything else give null, because a string that is not a strict address must never be dialled.
 */
export function parseIp(text: string): IpAddress | null {
  if (text.includes(":")) return parseIpv6(text);
  return parseIpv4(text);
}

/** Strict dotted-decimal IPv4 (`127.0.0.1`; not `127.1`, `0177.0.0.1` or `127.0.0.1.`). */
export function parseIpv4(text: string): IpAddress | null {
  const match = IPV4_STRICT.exec(text);
  if (!match) return null;
  return { family: 4, bytes: Uint8Array.from(text.split("."), Number) };
}

/** Strict IPv6 text, including `::` compression and a dotted IPv4 tail; no zone id. */
export function parseIpv6(text: string): IpAddress | null {
  if (!/^[0-9a-f:.]+$/i.test(text)) return null;
  const gap = text.indexOf("::");
  if (gap !== -1 && text.indexOf("::", gap + 1) !== -1) return null;
  const headText = gap === -1 ? text : text.slice(0, gap);
  const tailText = gap === -1 ? "" : text.slice(gap + 2);
  const head = headText === "" ? [] : headText.split(":");
  const tail = tailText === "" ? [] : tailText.split(":");
  const last = gap === -1 ? head : tail;
  const groups: number[] = [];
  const tailGroups: number[] = [];
  if (!pushGroups(head, groups, gap === -1)) return null;
  if (!pushGroups(tail, tailGroups, true)) return null;
  if (last.length === 0 && gap === -1) return null;
  const total = groups.length + tailGroups.length;
  if (gap === -1 ? total !== 8 : total > 7) return null;
  const all = [...groups, ...new Array<number>(8 - total).fill(0), ...tailGroups];
  const bytes = new Uint8Array(16);
  all.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return { family: 6, bytes };
}

/** Appends 16-bit groups; a dotted IPv4 is accepted only as the final part of the address. */
function pushGroups(parts: string[], into: number[], mayEndDotted: boolean): boolean {
  for (const [index, part] of parts.entries()) {
    if (part.includes(".")) {
      if (!mayEndDotted || index !== parts.length - 1) return false;
      const v4 = parseIpv4(part);
      if (!v4) return false;
      into.push((v4.bytes[0]! << 8) | v4.bytes[1]!, (v4.bytes[2]! << 8) | v4.bytes[3]!);
    } else {
      if (!HEX_GROUP.test(part)) return false;
      into.push(Number.parseInt(part, 16));
    }
  }
  return true;
}
