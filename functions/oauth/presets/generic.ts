import type { Connection } from "../../../schema/connection.ts";
import { PRESET_DEFAULTS, uniqueScopes, type ProviderPreset } from "../provider-preset.ts";

/**
 * Any OAuth 2.0 server, RFC defaults: the definition gives the URLs, the client authentication,
 * PKCE and scope separator. Basic credentials are form-encoded first as RFC 6749 §2.3.1 says.
 * Identity from `userinfoUrl` when given, else from an id_token when one comes back.
 */
export function genericPreset(connection: Extract<Connection, { provider: "generic" }>): ProviderPreset {
  return {
    ...PRESET_DEFAULTS,
    provider: "generic",
    grant: connection.grant,
    authorizationUrl: connection.authorizationUrl ?? null,
    tokenUrl: connection.tokenUrl,
    userinfoUrl: connection.userinfoUrl ?? null,
    revocationUrl: connection.revocationUrl ?? null,
    tokenAuth: connection.tokenAuth,
    formEncodeBasic: true,
    scopes: uniqueScopes(connection.scopes),
    scopeSeparator: connection.scopeSeparator,
    authorizeParams: { ...connection.authorizeParams },
    pkce: connection.pkce,
    identity: connection.userinfoUrl ? "userinfo" : "id-token",
  };
}
