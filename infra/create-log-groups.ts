import * as aws from "@pulumi/aws";
import { transformed, type GatewayScope } from "./gateway-scope.ts";

/** The functions' log groups (the stream door's only when it exists) and the HTTP API's access log group. */
export function createLogGroups(
  scope: GatewayScope,
  withStream: boolean,
): { api: aws.cloudwatch.LogGroup; stream: aws.cloudwatch.LogGroup | undefined; access: aws.cloudwatch.LogGroup } {
  const { name, definition, project, stack } = scope;
  const group = (role: string, path: string) =>
    new aws.cloudwatch.LogGroup(
      `${name}-${role}-logs`,
      transformed(scope.transform.logGroup, { name: path, retentionInDays: scope.settings.logRetentionDays, tags: scope.tags }, `${name}-${role}-logs`),
      { parent: scope.parent },
    );
  return {
    // The project is in every name: two projects with the same stack and gateway names would collide.
    api: group("api", `/gatehouse/${project}/${stack}/${definition.name}/api`),
    stream: withStream ? group("stream", `/gatehouse/${project}/${stack}/${definition.name}/stream`) : undefined,
    access: group("access", `/aws/vendedlogs/gatehouse/${project}/${stack}/${definition.name}/access`),
  };
}
