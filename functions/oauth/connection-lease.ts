import type { Gateway } from "../../schema/gateway.ts";
import { errorMessage } from "../../schema/error-message.ts";
import type { ConnectionRecord } from "../ports/connection-store.ts";
import { unavailable, type Verdict } from "./connection-verdicts.ts";
import type { OAuthContext } from "./oauth-context.ts";

/**
 * Runs `work` holding the connection's refresh lease (owner + expiry in the store, so one
 * refresh runs at a time across processes), renewed every third of its life and released after.
 * A caller that cannot take the lease polls the record: when its version moves away from
 * `seenVersion` someone else refreshed, and `onMoved` judges the new record instead; when the
 * lease stays taken past `settings.waitMs` the answer is `unavailable`.
 *
 * The wait is measured in wall-clock time (`Date.now()`), not `ctx.clock`: it bounds how long
 * this caller really blocks, and a test clock that stands still while we poll would otherwise
 * make a caller wait forever. Lease expiry itself uses `ctx.clock`, the time the store compares.
 */
export async function withConnectionLease(
  ctx: Pick<OAuthContext, "store" | "clock" | "settings" | "instanceId">,
  gateway: Gateway,
  name: string,
  seenVersion: number | null,
  onMoved: (current: ConnectionRecord | null) => Promise<Verdict>,
  work: () => Promise<Verdict>,
): Promise<Verdict> {
  const { settings } = ctx;
  const owner = `${ctx.instanceId}/${crypto.randomUUID()}`;
  const waitUntil = Date.now() + settings.waitMs;
  try {
    for (;;) {
      if (await ctx.store.acquireLease(gateway.id, name, owner, ctx.clock.now(), settings.leaseMs)) break;
      const current = await ctx.store.get(gateway.id, name);
      if ((current?.version ?? null) !== seenVersion) return await onMoved(current);
      if (Date.now() > waitUntil) return unavailable(`another process has been refreshing connection '${name}' for too long`);
      await sleep(settings.pollMs);
    }
  } catch (error) {
    return unavailable(`connection store failed: ${errorMessage(error)}`);
  }
  const renewal = setInterval(() => {
    ctx.store.renewLease(gateway.id, name, owner, ctx.clock.now(), settings.leaseMs).catch(() => {});
  }, settings.leaseMs / 3);
  renewal.unref();
  try {
    return await work();
  } catch (error) {
    return unavailable(`refresh failed: ${errorMessage(error)}`);
  } finally {
    clearInterval(renewal);
    await ctx.store.releaseLease(gateway.id, name, owner).catch(() => {});
  }
}

/** Resolves after `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
