import { describe, expect, it } from "vitest";
import { newRequestId } from "../../functions/engine/request-id.ts";

// Request ids come from a pool of random bytes refilled every 256 ids; each must still be a v4
// UUID's 32 hex digits, and no two alike across refills.

describe("request ids", () => {
  it("are req_ and a v4 UUID's 32 hex digits (version 4, variant 10xx), all distinct across several pool refills", () => {
    const ids = Array.from({ length: 2000 }, () => newRequestId());
    for (const id of ids) {
      expect(id).toMatch(/^req_[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
      const uuid = `${id.slice(4, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 24)}-${id.slice(24)}`;
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(ids).size).toBe(2000);
  });

  it("uses every hex digit in every free position: the digits are random, not a counter", () => {
    const ids = Array.from({ length: 4000 }, () => newRequestId().slice(4));
    for (const position of [0, 5, 11, 13, 17, 31]) {
      expect(new Set(ids.map((id) => id[position])).size).toBe(16);
    }
  });
});
