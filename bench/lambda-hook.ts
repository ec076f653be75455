import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The Lambda cold-start figures, as report lines, or why there are none. */
export interface LambdaFigures {
  available: boolean;
  lines: string[];
}

const MODULE = fileURLToPath(new URL("./lambda-cold-start.ts", import.meta.url));

/** Renders whatever the cold-start module returned as `key: value` lines. */
export function describeLambdaResult(result: unknown): string[] {
  if (result === null || typeof result !== "object") return [String(result)];
  return Object.entries(result as Record<string, unknown>).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
}

/**
 * HOOK for `bench/lambda-cold-start.ts` (written by another engineer): when the file exists, its
 * exported function (`measureLambdaColdStart`, or else its only exported function) is called
 * and its result (bundle size, cold init) goes into the report. Until then the report says so.
 */
export async function lambdaColdStart(options: { quick: boolean }): Promise<LambdaFigures> {
  if (!existsSync(MODULE)) return { available: false, lines: ["not measured: bench/lambda-cold-start.ts does not exist yet (hook in bench/lambda-hook.ts)"] };
  try {
    const mod = (await import(pathToFileURL(MODULE).href)) as Record<string, unknown>;
    const functions = Object.entries(mod).filter(([, v]) => typeof v === "function");
    const chosen = mod.measureLambdaColdStart ?? (functions.length === 1 ? functions[0]![1] : undefined);
    if (typeof chosen !== "function") {
      return { available: false, lines: [`not measured: bench/lambda-cold-start.ts exports ${functions.map(([k]) => k).join(", ") || "no function"}; expected measureLambdaColdStart`] };
    }
    const result: unknown = await (chosen as (o: { quick: boolean }) => unknown)(options);
    return { available: true, lines: describeLambdaResult(result) };
  } catch (error) {
    return { available: false, lines: [`not measured: bench/lambda-cold-start.ts failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
}
