/**
 * True when DynamoDB refused a write because its `ConditionExpression` did not hold (the SDK
 * names the error `ConditionalCheckFailedException`): an expected answer, not a failure.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#API_PutItem_Errors
 */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";
}

/** Resolves true when the write happened, false when its condition did not hold; other errors reject. */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}
