import type { Gateway } from "../../schema/gateway.ts";
import type { GatewayRequest, GatewayResponse } from "./http-types.ts";

/**
 * OAuthRoutes: serves `/api/<gateway-id>/oauth/<connection>/<action>` (the connect flow's
 * start and callback pages). Contract: always resolves to a response; never throws for bad
 * input (an HTML page or problem+json says what is wrong).
 */
export interface OAuthRoutes {
  handle(request: GatewayRequest, gateway: Gateway, connection: string, action: string, requestId: string): Promise<GatewayResponse>;
}
