import type { PlannedResource } from "./run-under-mocks.ts";

/** What API Gateway's throttling lets through one gateway's stage, from the planned resources. */
export interface StageThrottle {
  /** The stage's logical name. */
  stage: string;
  /** `defaultRouteSettings`: each route's own token bucket. */
  perRoute: { rateLimit: number; burstLimit: number };
  routes: number;
  /** What all routes together admit: HTTP APIs have no stage-wide bucket, so routes × the per-route figures. */
  total: { rateLimit: number; burstLimit: number };
}

/**
 * The stage throttle of each planned HTTP API stage. HTTP APIs apply `defaultRouteSettings` to
 * every route separately (the API Gateway developer guide, "Throttling requests to your HTTP
 * API": account-level per Region, then route-level), so the stage admits the per-route figures
 * once per route. The component plans one route, so the two agree; a `transform` that adds
 * routes shows up here as a larger total.
 */
export function stageThrottles(resources: PlannedResource[]): StageThrottle[] {
  return resources
    .filter((r) => r.type === "aws:apigatewayv2/stage:Stage")
    .map((stage) => {
      const settings = (stage.rawInputs.defaultRouteSettings ?? {}) as { throttlingRateLimit?: number; throttlingBurstLimit?: number };
      const routes = resources.filter((r) => r.type === "aws:apigatewayv2/route:Route" && r.parent === stage.parent && r.parent !== "").length;
      const perRoute = { rateLimit: settings.throttlingRateLimit ?? 0, burstLimit: settings.throttlingBurstLimit ?? 0 };
      return { stage: stage.name, perRoute, routes, total: { rateLimit: perRoute.rateLimit * routes, burstLimit: perRoute.burstLimit * routes } };
    });
}
