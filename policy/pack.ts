/**
 * This repository's own policy pack entry (PulumiPolicy.yaml `main`):
 *   pulumi preview --policy-pack policy
 * A user's repository gets its own pack from `gatehouse init`, importing `gatehouse-gateway/policy`.
 */
import { guardrailsPolicyPack } from "./guardrails-pack.ts";

guardrailsPolicyPack();
