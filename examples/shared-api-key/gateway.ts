// One Stripe key, several internal apps. Each app gets its own Gatehouse token (and so its own
// rate limit and audit trail); the key never leaves the gateway. Tokens:
//   gatehouse token create --gateway payments --endpoints stripe --label billing-svc
//   gatehouse token create --gateway payments --endpoints stripe --label invoicing-worker
import { defineGateway, secret } from "gatehouse-gateway";

export default defineGateway({
  name: "payments",
  defaults: { timeoutSeconds: 20, rateLimit: { perMinute: 100, perHour: 3000 } },
  endpoints: {
    stripe: {
      upstream: "https://api.stripe.com/v1",
      methods: ["GET", "POST"],
      headers: {
        forward: ["content-type", "idempotency-key", "stripe-version"],
        inject: { authorization: secret("STRIPE_BEARER", { prefix: "Bearer " }) },
      },
      // Each token: 100/min; all apps together: 250/min, below Stripe's own limit.
      rateLimit: { perMinute: 100, perHour: 3000, endpoint: { perMinute: 250 } },
      maxRequestBytes: 256 * 1024,
    },
    // Report files can take minutes to build. Above 29 s, AWS deployments serve the endpoint from a
    // response-streaming Function URL, since API Gateway stops every request at 30 s.
    "stripe-reports": {
      upstream: "https://files.stripe.com/v1/files",
      methods: ["GET"],
      headers: { inject: { authorization: secret("STRIPE_RESTRICTED_BEARER", { prefix: "Bearer " }) } },
      timeoutSeconds: 120,
    },
    "stripe-readonly": {
      upstream: "https://api.stripe.com/v1",
      methods: ["GET"],
      headers: { inject: { authorization: secret("STRIPE_RESTRICTED_BEARER", { prefix: "Bearer " }) } },
    },
  },
});
