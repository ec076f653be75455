import { z } from "zod";

/** The HTTP methods an endpoint may allow. TRACE and CONNECT are never proxied. */
export const STANDARD_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** One allowed HTTP method, upper-case. */
export type Method = (typeof STANDARD_METHODS)[number];

/** Accepts a method in any case and normalises it to upper case. */
export const MethodSchema = z
  .string()
  .transform((value) => value.toUpperCase())
  .pipe(
    z.enum(STANDARD_METHODS, {
      error: (issue) =>
        `'${String(issue.input)}' is not an allowed method; use ${STANDARD_METHODS.join(", ")}`,
    }),
  );
