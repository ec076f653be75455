type Inputs = Record<string, unknown>;
const get = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Inputs)[k] : undefined), value);

/** The settings worth reading in a plan (and a diff), per resource type. */
export function describeResource(type: string, inputs: Inputs): string {
  switch (type) {
    case "aws:kms/key:Key":
      return `rotation ${inputs.enableKeyRotation ? "on" : "OFF"}`;
    case "aws:kms/alias:Alias":
      return String(inputs.name);
    case "aws:kms/ciphertext:Ciphertext":
      return `plaintext ${String(inputs.plaintext)}, context ${JSON.stringify(inputs.context)}`;
    case "aws:dynamodb/table:Table":
      return [
        `hash ${String(inputs.hashKey)}${inputs.rangeKey ? `, range ${String(inputs.rangeKey)}` : ""}`,
        `PITR ${get(inputs, "pointInTimeRecovery", "enabled") ? "on" : "OFF"}`,
        `SSE ${get(inputs, "serverSideEncryption", "kmsKeyArn") ? "customer key" : "AWS key"}`,
        `TTL ${get(inputs, "ttl", "enabled") ? String(get(inputs, "ttl", "attributeName")) : "off"}`,
        `deletion protection ${inputs.deletionProtectionEnabled ? "on" : "OFF"}`,
      ].join(", ");
    case "aws:lambda/function:Function": {
      const env = (get(inputs, "environment", "variables") ?? {}) as Inputs;
      return `${String(inputs.runtime)} ${(inputs.architectures as string[] | undefined)?.join(",")}, ${String(inputs.memorySize)} MB, timeout ${String(inputs.timeout)} s, handler ${String(inputs.handler)}, env ${Object.keys(env).sort().join(" ")}`;
    }
    case "aws:lambda/functionUrl:FunctionUrl":
      return `${String(inputs.invokeMode)}, auth ${String(inputs.authorizationType)}`;
    case "aws:lambda/permission:Permission":
      return `${String(inputs.action)} for ${String(inputs.principal)}${inputs.sourceArn ? ` from ${String(inputs.sourceArn)}` : ""}`;
    case "aws:apigatewayv2/integration:Integration":
      return `payload ${String(inputs.payloadFormatVersion)}, timeout ${String(inputs.timeoutMilliseconds)} ms`;
    case "aws:apigatewayv2/route:Route":
      return String(inputs.routeKey);
    case "aws:apigatewayv2/stage:Stage":
      return `${String(inputs.name)}, throttle ${String(get(inputs, "defaultRouteSettings", "throttlingRateLimit"))}/s burst ${String(get(inputs, "defaultRouteSettings", "throttlingBurstLimit"))}, access logs JSON`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `${String(inputs.name)}, ${String(inputs.retentionInDays)} days`;
    case "aws:iam/rolePolicy:RolePolicy": {
      const doc = JSON.parse(String(inputs.policy)) as { Statement: Array<{ Sid: string }> };
      return `statements ${doc.Statement.map((s) => s.Sid).join(", ")}`;
    }
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return describeAlarm(inputs);
    case "aws:cloudwatch/dashboard:Dashboard": {
      const widgets = (JSON.parse(String(inputs.dashboardBody)) as { widgets: unknown[] }).widgets.length;
      return `${String(inputs.dashboardName)}, ${widgets} widgets`;
    }
    default:
      return "";
  }
}

const COMPARISON: Inputs = {
  GreaterThanThreshold: ">",
  GreaterThanOrEqualToThreshold: ">=",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
};

/** `<what it watches> <op> <threshold> over <period> s, notifies <topic>`: the alarm in one line. */
function describeAlarm(inputs: Inputs): string {
  const queries = (inputs.metricQueries ?? []) as Array<{ id: string; expression?: string; returnData?: boolean; metric?: Inputs }>;
  const name = (m: Inputs) => `${String(m.namespace)}/${String(m.metricName)}`;
  const result = queries.find((q) => q.returnData && q.expression);
  const operands = queries.filter((q) => q.metric).map((q) => `${q.id} = ${name(q.metric!)} Sum`);
  const watched = queries.length ? `${result?.expression ?? "?"} (${operands.join(", ")})` : `${name(inputs)} ${String(inputs.statistic)}`;
  const period = queries.find((q) => q.metric)?.metric?.period ?? inputs.period;
  const actions = (inputs.alarmActions ?? []) as unknown[];
  return `${watched} ${String(COMPARISON[String(inputs.comparisonOperator)] ?? inputs.comparisonOperator)} ${String(inputs.threshold)} over ${String(period)} s, ${
    actions.length ? `notifies ${actions.map(String).join(", ")}` : "no notification topic"
  }`;
}
