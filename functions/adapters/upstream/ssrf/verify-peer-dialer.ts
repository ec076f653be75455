import { parseIp, sameIp, type IpAddress } from "../../../../schema/ssrf/index.ts";
import type { Dialer } from "./dialer.ts";

/**
 * Wraps a dialer so a socket whose peer is not the address it was asked to dial is destroyed:
 * a last line of defence should any layer below ever resolve a name on its own.
 */
export function verifyPeerDialer(dial: Dialer): Dialer {
  return (options, callback) =>
    dial(options, (error, socket) => {
      if (error) {
        callback(error, null);
        return;
      }
      const expected = unmapped(parseIp(options.hostname));
      const actual = unmapped(parseIp(socket!.remoteAddress ?? ""));
      if (!expected || !actual || !sameIp(expected, actual)) {
        socket!.destroy();
        callback(new Error(`connected to ${socket!.remoteAddress ?? "an unknown peer"}, not the checked ${options.hostname}`), null);
        return;
      }
      callback(null, socket!);
    });
}

/** An IPv4-mapped IPv6 address as the IPv4 address it is; anything else unchanged. */
function unmapped(ip: IpAddress | null): IpAddress | null {
  if (!ip || ip.family !== 6) return ip;
  const mapped = ip.bytes.subarray(0, 10).every((byte) => byte === 0) && ip.bytes[10] === 0xff && ip.bytes[11] === 0xff;
  return mapped ? { family: 4, bytes: ip.bytes.slice(12) } : ip;
}
