import type { Connection } from "../../schema/connection.ts";
import { discordPreset } from "./presets/discord.ts";
import { genericPreset } from "./presets/generic.ts";
import { githubPreset } from "./presets/github.ts";
import { googlePreset } from "./presets/google.ts";
import { microsoftPreset } from "./presets/microsoft.ts";
import { notionPreset } from "./presets/notion.ts";
import { slackPreset } from "./presets/slack.ts";
import type { EndpointOverrides, ProviderPreset } from "./provider-preset.ts";

/** Each provider's preset builder, given that provider's connection. */
const PRESETS: { [P in Connection["provider"]]: (connection: Extract<Connection, { provider: P }>) => ProviderPreset } = {
  google: googlePreset,
  github: githubPreset,
  slack: slackPreset,
  microsoft: microsoftPreset,
  notion: notionPreset,
  discord: discordPreset,
  generic: genericPreset,
};

/** The URLs an override may replace; `{tenant}` in them is filled in (`issuer` is taken as is). */
const OVERRIDABLE_URLS = ["authorizationUrl", "tokenUrl", "userinfoUrl", "revocationUrl"] as const;

/**
 * The preset of a connection, with the wiring's endpoint overrides applied (`{tenant}` in an
 * override is replaced by the Microsoft tenant).
 */
export function resolvePreset(connection: Connection, overrides: EndpointOverrides = {}): ProviderPreset {
  // The table is indexed by the connection's own provider, so the builder matches the connection.
  const preset = (PRESETS[connection.provider] as (connection: Connection) => ProviderPreset)(connection);
  const override = overrides[connection.provider];
  if (!override) return preset;
  const resolved = { ...preset };
  for (const key of OVERRIDABLE_URLS) {
    const url = override[key];
    if (url !== undefined) resolved[key] = connection.provider === "microsoft" ? url.replace("{tenant}", encodeURIComponent(connection.tenant)) : url;
  }
  if (override.issuer !== undefined) resolved.issuer = override.issuer;
  return resolved;
}
