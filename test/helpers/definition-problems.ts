import { expect } from "vitest";
import { validateGateway } from "gatehouse-gateway";

/** The messages `validateGateway` gives at `path` for a definition that must be invalid. */
export function problemsAt(definition: unknown, path: string): string[] {
  const result = validateGateway(definition);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues.filter((i) => i.path === path).map((i) => i.message);
}
