import type { GatewayInput } from "../../../schema/gateway.ts";
import { definitionSource, secretRef, type TempRepo } from "./temp-repo.ts";

/** The `payments` gateway's source (one Stripe endpoint with an injected secret and a rate limit), after `edit`. */
export function payments(edit: (d: GatewayInput) => void = () => {}): string {
  const d: GatewayInput = {
    name: "payments",
    endpoints: {
      stripe: {
        upstream: "https://api.stripe.com/v1",
        methods: ["GET", "POST"],
        headers: { inject: { authorization: secretRef("STRIPE_BEARER") } },
        rateLimit: { perMinute: 60 },
      },
    },
  };
  edit(d);
  return definitionSource(d);
}

/** The `stripe` endpoint of a definition. */
export const stripe = (d: GatewayInput) => d.endpoints.stripe!;

/** Commits `gateways/payments.ts` as "base", then again with `edit` applied as `message`. */
export function commitPaymentsChange(repo: TempRepo, edit: (d: GatewayInput) => void, message: string): void {
  repo.write("gateways/payments.ts", payments());
  repo.commit("base");
  repo.write("gateways/payments.ts", payments(edit));
  repo.commit(message);
}
