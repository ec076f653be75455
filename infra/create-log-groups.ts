import * as aws from "@pulumi/aws";
import type { DoorLayout } from "./door-layout.ts";
import { transformed, type GatewayScope } from "./gateway-scope.ts";

/** The functions' log groups and the HTTP API's access log group, each only when its function or API exists. */
export function createLogGroups(
  scope: GatewayScope,
  layout: Pick<DoorLayout, "apiGateway" | "streamFunction">,
): { api: aws.cloudwatch.LogGroup | undefined; stream: aws.cloudwatch.LogGroup | undefined; access: aws.cloudwatch.LogGroup | undefined } {
  const { name, definition, project, stack } = scope;
  const group = (role: string, path: string) =>
    new aws.cloudwatch.LogGroup(
      `${name}-${role}-logs`,
      transformed(scope.transform.logGroup, { name: path, retentionInDays: scope.settings.logRetentionDays, tags: scope.tags }, `${name}-${role}-logs`),
      { parent: scope.parent },
    );
  return {
    // The project is in every name: two projects with the same stack and gateway names would collide.
    api: layout.apiGateway ? group("api", `/gatehouse/${project}/${stack}/${definition.name}/api`) : undefined,
    stream: layout.streamFunction ? group("stream", `/gatehouse/${project}/${stack}/${definition.name}/stream`) : undefined,
    access: layout.apiGateway ? group("access", `/aws/vendedlogs/gatehouse/${project}/${stack}/${definition.name}/access`) : undefined,
  };
}
