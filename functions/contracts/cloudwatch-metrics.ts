/**
 * The CloudWatch metrics the Lambda emits (as Embedded Metric Format log lines) and the Gateway
 * component's alarms and dashboard read: one list, so a renamed metric cannot leave an alarm
 * watching nothing.
 */
export const EMF_NAMESPACE = "Gatehouse";

/** Metric names in {@link EMF_NAMESPACE}. Every per-request metric has the dimensions `Gateway` and `Gateway, Endpoint`. */
export const METRIC = {
  /** Every proxied request (count). */
  requests: "Requests",
  /** Answers with a 5xx status, the gateway's own and the upstream's (count). */
  errors5xx: "Errors5xx",
  /** The upstream could not be reached or broke off its answer (count). */
  upstreamErrors: "UpstreamErrors",
  /** The upstream did not answer within the endpoint's timeout (count). */
  upstreamTimeouts: "UpstreamTimeouts",
  /** Refused by an endpoint's rate limit (count). */
  rateLimited: "RateLimited",
  /** Refused because the endpoint's OAuth connection needs a person to authorize it again (count). */
  needsReauthorization: "ConnectionNeedsReauthorization",
  /** Responses the secret scrubber changed (count). */
  secretScrubbed: "SecretScrubbed",
  /** Time from the request's arrival to its audit record (milliseconds). */
  duration: "Duration",
  /** Time the upstream took (milliseconds), for requests that reached it. */
  upstreamDuration: "UpstreamDuration",
  /** Token refreshes by `Gateway, Result` (the audit decision: OK, GRANT_DEAD, ...) (count). */
  oauthRefresh: "OAuthRefresh",
} as const;
