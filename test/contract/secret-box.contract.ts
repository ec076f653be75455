import { describe, expect, it } from "vitest";
import type { SecretBox } from "../../functions/ports/secret-box.ts";

/** What the contract needs to build a fresh box for each test. */
export interface SecretBoxSubject {
  /** A new box. Boxes made by one subject share their key material (like two cold starts). */
  create(): SecretBox | Promise<SecretBox>;
}

const context = { gateway: "2f1c0e6a-0000-5000-8000-000000000001", purpose: "secret", name: "STRIPE_BEARER" } as const;

/** Flips one character of the middle of a base64url segment, keeping the format valid. */
function tamper(sealed: string, segment: number): string {
  const parts = sealed.split(".");
  const target = parts[segment]!;
  const at = Math.floor(target.length / 2);
  const swapped = target[at] === "A" ? "B" : "A";
  parts[segment] = target.slice(0, at) + swapped + target.slice(at + 1);
  return parts.join(".");
}

/**
 * The SecretBox contract (functions/ports/secret-box.ts), run against every implementation:
 * round trip, fresh randomness per seal, context binding, tamper detection, concurrency.
 */
export function secretBoxContract(name: string, subject: SecretBoxSubject): void {
  describe(`SecretBox contract: ${name}`, () => {
    it("opens what it sealed, including empty and non-ASCII values", async () => {
      const box = await subject.create();
      for (const value of ["sk_live_123", "", "päss wörd ✓ 🔑", "x".repeat(10_000)]) {
        expect(await box.open(await box.seal(value, context), context)).toBe(value);
      }
    });

    it("seals to a printable string that never contains the plaintext, different every time", async () => {
      const box = await subject.create();
      const a = await box.seal("sk_live_123", context);
      const b = await box.seal("sk_live_123", context);
      expect(a).toMatch(/^[\x21-\x7e]+$/);
      expect(a).not.toContain("sk_live_123");
      expect(a).not.toBe(b);
    });

    it("refuses a different context: another purpose, another gateway, an extra or a missing field", async () => {
      const box = await subject.create();
      const sealed = await box.seal("sk_live_123", context);
      await expect(box.open(sealed, { ...context, purpose: "oauth-token" })).rejects.toThrow(/tampered|context/);
      await expect(box.open(sealed, { ...context, gateway: "other" })).rejects.toThrow(/tampered|context/);
      await expect(box.open(sealed, { ...context, extra: "1" })).rejects.toThrow(/tampered|context/);
      await expect(box.open(sealed, { gateway: context.gateway, purpose: context.purpose })).rejects.toThrow(/tampered|context/);
    });

    it("the order of context fields does not matter", async () => {
      const box = await subject.create();
      const sealed = await box.seal("v", { name: "A", purpose: "secret", gateway: "g" });
      expect(await box.open(sealed, { gateway: "g", purpose: "secret", name: "A" })).toBe("v");
    });

    it("rejects a tampered ciphertext in any segment, and garbage", async () => {
      const box = await subject.create();
      const sealed = await box.seal("sk_live_123", context);
      const segments = sealed.split(".").length;
      for (let segment = 1; segment < segments; segment++) {
        await expect(box.open(tamper(sealed, segment), context)).rejects.toThrow();
      }
      await expect(box.open("not sealed", context)).rejects.toThrow();
      await expect(box.open("", context)).rejects.toThrow();
    });

    it("a second box with the same key material opens the first one's values", async () => {
      const first = await subject.create();
      const second = await subject.create();
      expect(await second.open(await first.seal("carry over", context), context)).toBe("carry over");
    });

    it("is safe for concurrent use", async () => {
      const box = await subject.create();
      const values = Array.from({ length: 50 }, (_, i) => `value-${i}`);
      const sealed = await Promise.all(values.map((v, i) => box.seal(v, { ...context, name: `N${i}` })));
      const opened = await Promise.all(sealed.map((s, i) => box.open(s, { ...context, name: `N${i}` })));
      expect(opened).toEqual(values);
    });
  });
}
