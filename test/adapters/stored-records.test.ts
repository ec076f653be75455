import { describe, expect, it } from "vitest";
import { storedAuditRecord, storedConnectionRecord, storedTokenRecord } from "../../functions/adapters/shared/stored-records.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";

const token = { id: "tok_1", hash: "ab", gatewayId: "g", label: "app", endpoints: null, createdAt: 1, expiresAt: null, revokedAt: null };

describe("records read back from a store", () => {
  it("are returned as the port's type, keys and TTL dropped, absent optional fields absent", () => {
    expect(storedTokenRecord({ ...token, hash: "ab", ttl: 123, extra: "x" })).toEqual(token);
    expect(storedTokenRecord({ ...token, rotatedFrom: "tok_0" })).toEqual({ ...token, rotatedFrom: "tok_0" });
  });

  it("give older items the documented defaults for fields they lack", () => {
    const { label: _label, endpoints: _endpoints, expiresAt: _expires, revokedAt: _revoked, ...old } = token;
    expect(storedTokenRecord(old)).toEqual({ ...token, label: "", endpoints: null, expiresAt: null, revokedAt: null });
  });

  it("are an error naming the field when hand-edited to the wrong type", () => {
    expect(() => storedTokenRecord({ ...token, createdAt: "yesterday" })).toThrow(/stored token record is malformed \(createdAt: .*\)/);
    expect(() => storedTokenRecord({ ...token, endpoints: "api" })).toThrow(/endpoints/);
    expect(() => storedConnectionRecord({ gatewayId: "g", connection: "c", provider: "github", version: 1, status: "broken" })).toThrow(
      /stored connection record is malformed \(status: .*refreshable/,
    );
  });

  it("keep the optional audit fields of newer versions", () => {
    const record = {
      ...auditRecord({ gatewayId: null, gatewayName: null, endpoint: null, tokenId: null, tokenLabel: null, userAgent: null, revision: null }),
      secretsScrubbed: true,
    };
    expect(storedAuditRecord(record)).toEqual(record);
    expect(() => storedAuditRecord({ ...record, status: "200" })).toThrow(/stored audit record is malformed \(status: /);
  });
});
