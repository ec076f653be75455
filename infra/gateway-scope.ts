import type * as pulumi from "@pulumi/pulumi";
import type { Gateway as GatewayDefinition } from "../schema/gateway.ts";
import type { GatewayArgs, GatewayTransforms, Transform } from "./gateway-args.ts";

/** The Gateway options with defaults applied and checked. */
export type GatewaySettings = Required<
  Pick<GatewayArgs, "memorySize" | "architecture" | "runtime" | "logRetentionDays" | "auditRetentionDays" | "deletionProtection" | "throttle" | "frontDoor">
>;

/**
 * What every `create*` step of the Gateway component builds with: the component's name (the
 * prefix of every logical name), the validated definition, the settings, the transform hooks,
 * the tags, the Pulumi project and stack, and the parent every child is registered under.
 */
export interface GatewayScope {
  name: string;
  definition: GatewayDefinition;
  settings: GatewaySettings;
  transform: GatewayTransforms;
  tags: Record<string, string>;
  /** The Pulumi project: two projects with the same stack and gateway names share an account without colliding. */
  project: string;
  stack: string;
  parent: pulumi.Resource;
}

/** Runs a transform hook on a child's args: it may mutate them or return replacements. */
export function transformed<T>(transform: Transform<T> | undefined, args: T, logicalName: string): T {
  return transform ? (transform(args, logicalName) ?? args) : args;
}

/** A record with each value mapped (resources to their names or ARNs). */
export function mapValues<K extends string, A, B>(record: Record<K, A>, f: (value: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v as A)])) as Record<K, B>;
}
