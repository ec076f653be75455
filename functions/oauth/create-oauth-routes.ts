import type { Gateway } from "../../schema/gateway.ts";
import type { GatewayRequest, GatewayResponse } from "../ports/http-types.ts";
import type { OAuthRoutes } from "../ports/oauth-routes.ts";
import { handleCallback } from "./handle-callback.ts";
import { handleStart } from "./handle-start.ts";
import type { OAuthContext } from "./oauth-context.ts";
import { renderPage } from "./render-page.ts";
import { errorMessage } from "../../schema/error-message.ts";

/**
 * The connect flow's routes: `start` (GET shows the confirm page, POST is its button) and
 * `callback` (GET). Anything unexpected becomes a page saying what is wrong (the port's
 * contract: never throws).
 */
export function createOAuthRoutes(
  ctx: OAuthContext,
  options: { allowPrivate: readonly string[]; onConnected: (gatewayId: string, connection: string) => void },
): OAuthRoutes {
  return {
    async handle(request: GatewayRequest, gateway: Gateway, connection: string, action: string, requestId: string): Promise<GatewayResponse> {
      try {
        if (action !== "start" && action !== "callback") {
          return renderPage(404, { title: "Not found", ok: false, lines: [`There is no OAuth page '${action.slice(0, 40)}'.`] }, requestId);
        }
        const allowed = action === "start" ? ["GET", "POST"] : ["GET"];
        if (!allowed.includes(request.method)) {
          return renderPage(405, { title: "Method not allowed", ok: false, lines: ["Open this link in a browser."] }, requestId, { allow: allowed.join(", ") });
        }
        if (action === "start") return await handleStart(ctx, request, gateway, connection, requestId, options.allowPrivate);
        return await handleCallback(ctx, request, gateway, connection, requestId, () => options.onConnected(gateway.id, connection));
      } catch (error) {
        ctx.log.error("oauth.route_failed", { gateway: gateway.name, connection, action, error: errorMessage(error) });
        return renderPage(
          503,
          {
            title: "The gateway could not finish this step",
            ok: false,
            lines: ["Its store or key is unavailable right now; try again with a new connect link."],
          },
          requestId,
        );
      }
    },
  };
}
