// Internal apps call GitHub's API as the connected GitHub user without ever holding a GitHub
// token: `gatehouse connect github-oauth github` links the account once; Gatehouse injects and
// refreshes the bearer token.
import { defineGateway, oauth, secret } from "gatehouse-gateway";

export default defineGateway({
  name: "github-oauth",
  connections: {
    github: oauth.github({
      clientId: "Iv1.8a61f9b3a7aba766",
      clientSecret: secret("GITHUB_CLIENT_SECRET"),
      scopes: ["repo", "read:user"],
      app: "github-app",
    }),
  },
  endpoints: {
    github: {
      upstream: "https://api.github.com",
      methods: ["GET", "POST", "PATCH"],
      connection: "github",
      headers: { forward: ["accept", "content-type", "x-github-api-version"] },
      rateLimit: { perMinute: 60, perHour: 1000 },
      timeoutSeconds: 10,
    },
  },
});
