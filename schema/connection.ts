import * as z from "zod";
import { SecretRefSchema } from "./secret.ts";
import { checkUpstreamUrlStatic } from "./ssrf/check-upstream-url-static.ts";

const scopes = z.array(z.string().min(1, "a scope is a non-empty string").regex(/^\S+$/, "a scope has no spaces")).default([]);

const client = {
  /** The OAuth client id (public, so written in the definition). */
  clientId: z.string().min(1, "clientId is required"),
  /** The OAuth client secret, always a `secret("NAME")` reference. */
  clientSecret: SecretRefSchema,
};

const httpsUrl = z
  .url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" })
  .refine((value) => !new URL(value).username && !new URL(value).password, "must not contain a user name or password");

/** Google: offline access and forced consent are always requested so a refresh token comes back. */
export const GoogleConnectionSchema = z.strictObject({ provider: z.literal("google"), ...client, scopes });

/** GitHub: an OAuth App (tokens never expire) or a GitHub App (8 h tokens, rotating refresh tokens). */
export const GithubConnectionSchema = z.strictObject({
  provider: z.literal("github"),
  ...client,
  scopes,
  /** @default "oauth-app" */
  app: z.enum(["oauth-app", "github-app"]).default("oauth-app"),
  /**
   * A GitHub Enterprise Server host (`github.example.com`, optionally `:port`): authorize and token
   * URLs move to `https://<host>/login/oauth/...` and the API to `https://<host>/api/v3`, as
   * GitHub's GHES docs give them. Provider calls to it pass the same SSRF guard as any other.
   */
  enterpriseHost: z
    .string()
    .regex(
      /^(?=.{1,253}(:|$))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::\d{1,5})?$/,
      "enterpriseHost is a lower-case host name with a dot, optionally with :port (no scheme or path)",
    )
    .refine((host) => host.replace(/:\d+$/, "") !== "github.com", "enterpriseHost is for GitHub Enterprise Server; leave it out for github.com")
    .superRefine((host, ctx) => {
      // The address rules of upstreams: no metadata names, no localhost (DNS answers are checked per call).
      const refused = checkUpstreamUrlStatic(`https://${host}/`);
      if (refused) ctx.addIssue({ code: "custom", message: `enterpriseHost is refused by the address rules (${refused.rule}): ${refused.reason}` });
    })
    .optional(),
});

/** Slack OAuth v2: bot scopes and user scopes, and which of the two tokens is injected upstream. */
export const SlackConnectionSchema = z.strictObject({
  provider: z.literal("slack"),
  ...client,
  scopes,
  userScopes: scopes,
  /** @default "bot" */
  token: z.enum(["bot", "user"]).default("bot"),
});

/** Microsoft Entra ID v2. `offline_access` is always added so a refresh token comes back. */
export const MicrosoftConnectionSchema = z.strictObject({
  provider: z.literal("microsoft"),
  ...client,
  scopes,
  /** `common`, `organizations`, `consumers`, a tenant GUID or a verified domain. @default "common" */
  tenant: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, "tenant is common, organizations, consumers, a tenant id or a domain")
    .default("common"),
  /** Login host, for national clouds. @default "login.microsoftonline.com" */
  authority: z
    .string()
    .regex(/^[a-z0-9.-]+$/, "authority is a host name")
    .default("login.microsoftonline.com"),
});

/** Notion public integrations (no scopes: access is chosen by the user on Notion's page). */
export const NotionConnectionSchema = z.strictObject({ provider: z.literal("notion"), ...client });

/** Discord. */
export const DiscordConnectionSchema = z.strictObject({ provider: z.literal("discord"), ...client, scopes });

/** Any OAuth 2.0 authorization server: authorization code (with PKCE) or client credentials. */
export const GenericConnectionSchema = z.strictObject({
  provider: z.literal("generic"),
  ...client,
  scopes,
  /** @default "authorization_code" */
  grant: z.enum(["authorization_code", "client_credentials"]).default("authorization_code"),
  authorizationUrl: httpsUrl.optional(),
  tokenUrl: httpsUrl,
  /** Where the connected identity is read after connecting (OIDC userinfo or similar). */
  userinfoUrl: httpsUrl.optional(),
  /** The RFC 7009 revocation endpoint (`revocation_endpoint` in the server's metadata), used on disconnect. */
  revocationUrl: httpsUrl.optional(),
  /** @default "client_secret_basic" */
  tokenAuth: z.enum(["client_secret_basic", "client_secret_post"]).default("client_secret_basic"),
  /** @default true */
  pkce: z.boolean().default(true),
  /** @default " " */
  scopeSeparator: z.string().min(1).max(3).default(" "),
  /** Extra query parameters for the authorization request. @default {} */
  authorizeParams: z.record(z.string(), z.string()).default({}),
});

/** An OAuth 2.0 service connection, by provider. */
export const ConnectionSchema = z.discriminatedUnion(
  "provider",
  [
    GoogleConnectionSchema,
    GithubConnectionSchema,
    SlackConnectionSchema,
    MicrosoftConnectionSchema,
    NotionConnectionSchema,
    DiscordConnectionSchema,
    GenericConnectionSchema,
  ],
  { error: "provider must be one of google, github, slack, microsoft, notion, discord, generic (use the oauth.* helpers)" },
);

/** A validated connection. */
export type Connection = z.output<typeof ConnectionSchema>;
/** A connection as written in a definition. */
export type ConnectionInput = z.input<typeof ConnectionSchema>;
/** The provider names. */
export type Provider = Connection["provider"];
