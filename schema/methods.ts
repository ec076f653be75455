import * as z from "zod";

/** The HTTP methods an endpoint may allow. TRACE and CONNECT are never proxied. */
export const STANDARD_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** One allowed HTTP method, upper-case. */
export type Method = (typeof STANDARD_METHODS)[number];

/** How a method may be written in a definition: upper or lower case (`"GET"`, `"get"`). `"PSOT"` is a type error. */
export type MethodInput = Method | Lowercase<Method>;

/**
 * Accepts a method in any case and normalises it to upper case. At run time any string is
 * checked (JavaScript definitions have no types); its TypeScript input type is {@link MethodInput}.
 */
export const MethodSchema = z
  .string()
  .transform((value) => value.toUpperCase())
  .pipe(
    z.enum(STANDARD_METHODS, {
      error: (issue) => `'${String(issue.input)}' is not an allowed method; use ${STANDARD_METHODS.join(", ")}`,
    }),
  ) as unknown as z.ZodType<Method, MethodInput>; // the cast narrows only the TypeScript input type
