import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayInput } from "../../../schema/gateway.ts";
import { createTempRepo, definitionSource, secretRef, type TempRepo } from "./temp-repo.ts";

/** The gateway every case starts from; each case changes one thing. */
export function baseDefinition(): GatewayInput {
  return {
    name: "acme",
    connections: {
      gh: { provider: "github", clientId: "Iv1.8a61f9b3a7aba766", clientSecret: secretRef("GH_CLIENT_SECRET"), scopes: ["repo"] },
    },
    endpoints: {
      github: {
        upstream: "https://api.github.com",
        methods: ["GET", "POST"],
        connection: "gh",
        rateLimit: { perMinute: 60, perHour: 1000 },
        timeoutSeconds: 10,
      },
      stripe: {
        upstream: "https://api.stripe.com/v1/customers",
        methods: ["GET"],
        headers: { forward: ["content-type"], inject: { authorization: secretRef("STRIPE_BEARER"), "x-tenant": "acme-eu" } },
      },
      internal: {
        upstream: "http://10.1.2.3:8080/api",
        methods: ["GET"],
        unsafeAllowPrivateNetworks: ["10.1.0.0/16"],
        rateLimit: { perMinute: 10 },
      },
    },
  };
}

/** One change made to the base definition. */
export type Edit = (d: GatewayInput) => void;
/** The changes the diff reports: effect and text, and "alert" where the line is marked. */
export type Expected = Array<[effect: string, text: string] | [effect: string, text: string, "alert"]>;

/** An endpoint of a definition. */
export const ep = (d: GatewayInput, slug: string) => d.endpoints[slug]!;
/** The `gh` OAuth connection of a definition. */
export const gh = (d: GatewayInput) => d.connections!.gh as { scopes: string[]; clientSecret: { kind: "secret"; name: string }; clientId: string };

/** A named case: the change, and what `gatehouse diff` must report for it. */
export type ClassificationCase = [name: string, edit: Edit, expected: Expected];

/**
 * Runs each case in one temporary repository: the base definition committed, the changed one
 * committed on top, and `gatehouse diff --format json` between the two.
 */
export function describeClassification(title: string, cases: ClassificationCase[]): void {
  describe(title, () => {
    let repo: TempRepo;
    beforeAll(() => {
      repo = createTempRepo();
    });
    afterAll(() => repo.cleanup());

    it.each(cases)("%s", async (_name, edit, expected) => {
      const before = baseDefinition();
      const after = structuredClone(before);
      edit(after);
      repo.write("gateways/acme.ts", definitionSource(before));
      repo.commit("before");
      repo.write("gateways/acme.ts", definitionSource(after));
      repo.commit("after");
      const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--format", "json");
      expect(result.err).toBe("");
      expect(result.code).toBe(0);
      const report = JSON.parse(result.out) as { gateways: Array<{ name: string; changes: Array<{ effect: string; text: string; alert?: boolean }> }> };
      const changes = report.gateways.flatMap((g) => g.changes.map((c) => (c.alert ? [c.effect, c.text, "alert"] : [c.effect, c.text])));
      expect(changes).toEqual(expected);
    });
  });
}
