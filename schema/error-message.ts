/**
 * The text of a caught value: an Error's message, anything else as a string. In `schema/`
 * because every package may import it (the bottom of the dependency rule).
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
