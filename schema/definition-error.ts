/** One problem in a definition: where (`endpoints.github.rateLimit.perMinute`) and what. */
export interface DefinitionIssue {
  path: string;
  message: string;
}

/** Thrown by `defineGateway` with every problem of the definition at once. */
export class DefinitionError extends Error {
  override name = "DefinitionError";
  constructor(
    readonly issues: DefinitionIssue[],
    readonly gatewayName?: string,
  ) {
    super(
      `gateway ${gatewayName ? `'${gatewayName}' ` : ""}has ${issues.length} problem${issues.length === 1 ? "" : "s"}:\n` +
        issues.map((issue) => `  ${issue.path || "(definition)"}: ${issue.message}`).join("\n"),
    );
  }
}

/** Writes a zod path as `endpoints.github.methods[1]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
