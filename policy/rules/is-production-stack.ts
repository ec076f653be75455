/**
 * True when a stack name says production: it contains "prod" in any case (`prod`, `acme-prod`,
 * `Production`, `prod-eu-1`, `acmeprod`), except as part of "preprod", "pre-prod", "nonprod" or
 * "non-prod". Matching a substring rather than a whole word errs on the safe side: a stack such
 * as `product-dev` counts as production and simply may not use unsafe allowances.
 */
export function isProductionStack(stackName: string): boolean {
  return /prod/i.test(stackName.replace(/(?:pre|non)[-_]?prod/gi, ""));
}
