import type { Connection } from "../../schema/connection.ts";
import { discordPreset } from "./presets/discord.ts";
import { genericPreset } from "./presets/generic.ts";
import { githubPreset } from "./presets/github.ts";
import { googlePreset } from "./presets/google.ts";
import { microsoftPreset } from "./presets/microsoft.ts";
import { notionPreset } from "./presets/notion.ts";
import { slackPreset } from "./presets/slack.ts";
import type { EndpointOverrides, ProviderPreset } from "./provider-preset.ts";

/**
 * The preset of a connection, with the wiring's endpoint overrides applied (`{tenant}` in an
 * override is replaced by the Microsoft tenant).
 */
export function resolvePreset(connection: Connection, overrides: EndpointOverrides = {}): ProviderPreset {
  const preset = presetOf(connection);
  const override = overrides[connection.provider];
  if (!override) return preset;
  const fill = (url: string) => (connection.provider === "microsoft" ? url.replace("{tenant}", encodeURIComponent(connection.tenant)) : url);
  return {
    ...preset,
    ...(override.authorizationUrl !== undefined ? { authorizationUrl: fill(override.authorizationUrl) } : {}),
    ...(override.tokenUrl !== undefined ? { tokenUrl: fill(override.tokenUrl) } : {}),
    ...(override.userinfoUrl !== undefined ? { userinfoUrl: fill(override.userinfoUrl) } : {}),
    ...(override.revocationUrl !== undefined ? { revocationUrl: fill(override.revocationUrl) } : {}),
    ...(override.issuer !== undefined ? { issuer: override.issuer } : {}),
  };
}

function presetOf(connection: Connection): ProviderPreset {
  switch (connection.provider) {
    case "google":
      return googlePreset(connection);
    case "github":
      return githubPreset(connection);
    case "slack":
      return slackPreset(connection);
    case "microsoft":
      return microsoftPreset(connection);
    case "notion":
      return notionPreset(connection);
    case "discord":
      return discordPreset(connection);
    case "generic":
      return genericPreset(connection);
  }
}
