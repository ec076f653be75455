import { parseIp, reachableIpv4, sameIp, type IpAddress } from "../../../../schema/ssrf/index.ts";
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
      const expected = reachable(parseIp(options.hostname));
      const actual = reachable(parseIp(socket!.remoteAddress ?? ""));
      if (!expected || !actual || !sameIp(expected, actual)) {
        socket!.destroy();
        callback(new Error(`connected to ${socket!.remoteAddress ?? "an unknown peer"}, not the checked ${options.hostname}`), null);
        return;
      }
      callback(null, socket!);
    });
}

/** The address a socket reaches (a mapped address as its IPv4; see {@link reachableIpv4}); null stays null. */
function reachable(ip: IpAddress | null): IpAddress | null {
  return ip ? reachableIpv4(ip) : null;
}
