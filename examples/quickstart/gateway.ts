// The gateway `npm start` serves. `echo` reaches a small demo upstream that `gatehouse dev --demo`
// starts on 127.0.0.1:8788, so the quick start works without internet access; reaching a
// loopback address is an explicit, loud allowance. `httpbin` shows a public upstream.
import { defineGateway, secret } from "gatehouse-gateway";

export default defineGateway({
  name: "quickstart",
  endpoints: {
    echo: {
      upstream: "http://127.0.0.1:8788/echo",
      methods: ["GET", "POST"],
      headers: {
        forward: ["content-type", "accept"],
        inject: { "x-demo-key": secret("QUICKSTART_DEMO_KEY") },
      },
      rateLimit: { perMinute: 60, perHour: 1000 },
      timeoutSeconds: 10,
      unsafeAllowPrivateNetworks: ["127.0.0.1/32"],
    },
    httpbin: {
      upstream: "https://httpbin.org",
      methods: ["GET"],
      rateLimit: { perMinute: 30 },
    },
  },
});
