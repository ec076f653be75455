/**
 * Dummy credentials for DynamoDB-compatible local endpoints, which check none. A module of its own,
 * without the AWS SDK, so that the CLI can name them without loading the SDK (see
 * `front-doors/node/wire-dynamo-stores.ts`).
 */
export const LOCAL_CREDENTIALS = { accessKeyId: "gatehouse-local", secretAccessKey: "gatehouse-local" } as const;
