import type * as z from "zod";
import type {
  DiscordConnectionSchema,
  GenericConnectionSchema,
  GithubConnectionSchema,
  GoogleConnectionSchema,
  MicrosoftConnectionSchema,
  NotionConnectionSchema,
  SlackConnectionSchema,
} from "./connection.ts";

type Options<S extends z.ZodType> = Omit<z.input<S>, "provider">;
type Input<S extends z.ZodType> = z.input<S>;

/**
 * OAuth 2.0 service connections. Each helper only fills in `provider`; the provider's endpoints
 * and quirks live in the runtime.
 *
 * @example
 * connections: {
 *   github: oauth.github({ clientId: "Iv1.8a61f9b3a7aba766", clientSecret: secret("GITHUB_CLIENT_SECRET"), scopes: ["repo"] }),
 *   graph: oauth.microsoft({ clientId: "…", clientSecret: secret("MS_SECRET"), scopes: ["User.Read"], tenant: "organizations" }),
 * }
 */
export const oauth = {
  google: (options: Options<typeof GoogleConnectionSchema>): Input<typeof GoogleConnectionSchema> => ({ provider: "google", ...options }),
  github: (options: Options<typeof GithubConnectionSchema>): Input<typeof GithubConnectionSchema> => ({ provider: "github", ...options }),
  slack: (options: Options<typeof SlackConnectionSchema>): Input<typeof SlackConnectionSchema> => ({ provider: "slack", ...options }),
  microsoft: (options: Options<typeof MicrosoftConnectionSchema>): Input<typeof MicrosoftConnectionSchema> => ({ provider: "microsoft", ...options }),
  notion: (options: Options<typeof NotionConnectionSchema>): Input<typeof NotionConnectionSchema> => ({ provider: "notion", ...options }),
  discord: (options: Options<typeof DiscordConnectionSchema>): Input<typeof DiscordConnectionSchema> => ({ provider: "discord", ...options }),
  generic: (options: Options<typeof GenericConnectionSchema>): Input<typeof GenericConnectionSchema> => ({ provider: "generic", ...options }),
};
