import type * as pulumi from "@pulumi/pulumi";

/**
 * The CloudWatch alarms of a gateway (see {@link GatewayArgs.alarms}). Every alarm reads the
 * metrics the function writes as Embedded Metric Format lines (namespace `Gatehouse`, dimension
 * `Gateway`), or Lambda's own `Throttles`; none needs an extra IAM permission.
 *
 * @example
 * new Gateway("payments", {
 *   definition: payments,
 *   alarms: { topicArn: oncall.arn, errorRatePercent: 2 }, // an aws.sns.Topic of yours
 * });
 */
export interface GatewayAlarmOptions {
  /** An SNS topic ARN told when an alarm fires and when it clears. @default none (the alarms show in the console only) */
  topicArn?: pulumi.Input<string>;
  /** The 5xx alarm fires above this share of requests, in percent, over one period. @default 5 */
  errorRatePercent?: number;
  /** Periods with fewer requests never fire the 5xx alarm (one failure in three requests is not a rate). @default 20 */
  minRequests?: number;
  /** The upstream alarm fires at this many upstream errors and timeouts together in one period. @default 5 */
  upstreamFailures?: number;
  /** Length of one evaluation period, in seconds: 60 or a multiple of 60. @default 300 */
  periodSeconds?: number;
}

/** {@link GatewayAlarmOptions} with defaults applied. */
export type AlarmSettings = Required<Omit<GatewayAlarmOptions, "topicArn">> & { topicArn: pulumi.Input<string> | undefined };

/** The defaults of {@link GatewayAlarmOptions}. */
export const ALARM_DEFAULTS = { errorRatePercent: 5, minRequests: 20, upstreamFailures: 5, periodSeconds: 300 } as const;

/** The alarm settings, or null for `alarms: false`; throws naming every bad option. */
export function resolveAlarms(alarms: false | GatewayAlarmOptions | undefined): AlarmSettings | null {
  if (alarms === false) return null;
  const given = alarms ?? {};
  const s: AlarmSettings = {
    errorRatePercent: given.errorRatePercent ?? ALARM_DEFAULTS.errorRatePercent,
    minRequests: given.minRequests ?? ALARM_DEFAULTS.minRequests,
    upstreamFailures: given.upstreamFailures ?? ALARM_DEFAULTS.upstreamFailures,
    periodSeconds: given.periodSeconds ?? ALARM_DEFAULTS.periodSeconds,
    topicArn: given.topicArn,
  };
  const problems: string[] = [];
  if (!(s.errorRatePercent > 0 && s.errorRatePercent < 100)) problems.push("alarms.errorRatePercent must be above 0 and below 100");
  if (!Number.isInteger(s.minRequests) || s.minRequests < 1) problems.push("alarms.minRequests must be a whole number, at least 1");
  if (!Number.isInteger(s.upstreamFailures) || s.upstreamFailures < 1) problems.push("alarms.upstreamFailures must be a whole number, at least 1");
  if (!Number.isInteger(s.periodSeconds) || s.periodSeconds < 60 || s.periodSeconds % 60 !== 0 || s.periodSeconds > 86_400)
    problems.push("alarms.periodSeconds must be 60 or a multiple of 60, at most 86400 (CloudWatch's periods for standard metrics)");
  if (problems.length) throw new Error(`Gateway options: ${problems.join("; ")}`);
  return s;
}
