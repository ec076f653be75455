/**
 * The Gatehouse definition language: what a user imports in a gateway file.
 *
 * @example
 * import { defineGateway, secret, basicAuth, oauth } from "gatehouse-gateway";
 */
export { defineGateway, validateGateway, isValidatedGateway } from "./define-gateway.ts";
export { DefinitionError, type DefinitionIssue } from "./definition-error.ts";
export { secret, isSecretRef, type SecretRef, type SecretOptions } from "./secret.ts";
export { basicAuth, isBasicAuth, type BasicAuth, type InjectValue } from "./inject-value.ts";
export { oauth } from "./oauth.ts";
export { STANDARD_METHODS, type Method } from "./methods.ts";
export { DEFAULT_FORWARD_HEADERS } from "./headers.ts";
export { gatewayIdFromName } from "./gateway-id.ts";
export { definitionRevision } from "./revision.ts";
export type { Gateway, GatewayInput, Endpoint } from "./gateway.ts";
export type { EndpointInput } from "./endpoint.ts";
export type { Connection, ConnectionInput, Provider } from "./connection.ts";
export type { RateLimit } from "./rate-limit.ts";
export type { Cors } from "./cors.ts";
