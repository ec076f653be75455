/**
 * A parsed IP address: its family and its bytes in network order (4 bytes for IPv4, 16 for
 * IPv6). Every rule works on bytes, so no text spelling of an address can slip past a rule.
 */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/** Builds an IPv4 address from four octets. */
export function ipv4(a: number, b: number, c: number, d: number): IpAddress {
  return { family: 4, bytes: Uint8Array.of(a, b, c, d) };
}

/** True when both addresses are the same family and the same bytes. */
export function sameIp(left: IpAddress, right: IpAddress): boolean {
  if (left.family !== right.family) return false;
  return left.bytes.every((byte, index) => byte === right.bytes[index]);
}
