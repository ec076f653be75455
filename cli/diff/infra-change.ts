/**
 * The two infrastructure changes that are called out; everything else in the infra diff is
 * informational. `permissions-widened`: an IAM policy statement, action or resource was added
 * (the function's role may do more). `protection-lost`: a table lost point-in-time recovery,
 * encryption with the customer key, or deletion protection.
 */
export type InfraFlag = "permissions-widened" | "protection-lost";

/** One resource as a shadow plan (the program under mocks) registered it, secrets masked. */
export interface ShadowResource {
  urn: string;
  /** Pulumi type token, e.g. `aws:lambda/function:Function`. */
  type: string;
  /** Logical name, e.g. `payments-api`. */
  name: string;
  /** The gateway component it belongs to, or null for anything outside one. */
  gateway: string | null;
  /** Inputs with secrets, ciphertexts and archives replaced by markers. */
  inputs: Record<string, unknown>;
  /** File digests of each asset archive input (input name, then file name). */
  archives: Record<string, Record<string, string>>;
}

/** One changed input of a resource, or one sentence about it (a policy statement, the code). */
export interface InputChange {
  /** `environment.variables.GATEHOUSE_STREAM_URL`, `policy.Statement[WriteOwnLogs]`, `code`. */
  path: string;
  /** The masked value before; absent when the input is new. */
  before?: unknown;
  /** The masked value after; absent when the input went away. */
  after?: unknown;
  /** Said instead of before → after when the values alone would not tell a reader what changed. */
  text?: string;
  flag?: InfraFlag;
}

/** A resource `pulumi up` would create, update or delete. */
export interface ResourceChange {
  action: "create" | "update" | "delete";
  type: string;
  name: string;
  /** For create and delete: the resource's key settings, as `gatehouse plan` prints them. */
  settings?: string;
  /** For update: what changed. For create and delete of a policy: its statements. */
  inputs: InputChange[];
  /** The flags of this change, each once. */
  flags: InfraFlag[];
}

/** The resource changes of one gateway component (`name` null: resources outside any gateway). */
export interface InfraGatewayDiff {
  name: string | null;
  changes: ResourceChange[];
}

/** How many resources would be created, updated, deleted or left alone, and how many flags. */
export interface InfraSummary {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
  permissionsWidened: number;
  protectionLost: number;
}

/** The program failed at one side (the deploy would fail there too). */
export interface InfraProblem {
  side: "base" | "head";
  message: string;
}

/** The `--infra` part of a diff report: the shadow plan at base compared with the one at head. */
export interface InfraReport {
  summary: InfraSummary;
  gateways: InfraGatewayDiff[];
  problems: InfraProblem[];
  /** Things worth knowing that are not changes (a definition re-serialised in another order). */
  notes: string[];
}
