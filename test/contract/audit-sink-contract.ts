import { describe, expect, it } from "vitest";
import type { AuditReader, AuditRecord, AuditSink } from "../../functions/ports/audit-sink.ts";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const GW = "0b7c1c1e-3f4a-5b6c-8d7e-9f0a1b2c3d4e";
const OTHER_GW = "1c8d2d2f-4a5b-5c7d-9e8f-0a1b2c3d4e5f";
let sequence = 0;

/** A complete record; every field set so a round trip is checked field for field. */
export function auditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  sequence += 1;
  return {
    requestId: `req_${String(sequence).padStart(8, "0")}${Math.random().toString(16).slice(2, 10)}`,
    time: T0,
    event: "proxy.request",
    gatewayId: GW,
    gatewayName: "acme",
    endpoint: "github",
    tokenId: "tok_aaaaaaaaaaaa",
    tokenLabel: "billing-svc",
    method: "GET",
    path: "/api/x/proxy/github/user?page=REDACTED",
    status: 200,
    upstreamStatus: 200,
    decision: "OK",
    reason: null,
    durationMs: 12,
    upstreamDurationMs: 10,
    bytesIn: 0,
    bytesOut: 345,
    clientAddress: "127.0.0.1",
    userAgent: "vitest",
    revision: "rev_abc123",
    ...overrides,
  };
}

/** The AuditSink + AuditReader contract (functions/ports/audit-sink.ts); `make` returns an empty sink. */
export function auditSinkContract(name: string, make: () => Promise<AuditSink & AuditReader>): void {
  describe(`AuditSink contract: ${name}`, () => {
    it("reads back what was written, field for field, optional fields included", async () => {
      const sink = await make();
      const plain = auditRecord();
      const guarded = auditRecord({
        time: T0 + 1,
        status: 502,
        upstreamStatus: null,
        decision: "UPSTREAM_UNREACHABLE",
        reason: "guard",
        ssrf: { rule: "private", addresses: ["10.0.0.1"] },
        clientAborted: true,
        tokenId: null,
        tokenLabel: null,
        userAgent: null,
      });
      await sink.write(plain);
      await sink.write(guarded);
      expect(await sink.query({ gatewayId: GW })).toEqual([plain, guarded]);
    });

    it("answers a gateway in a time range, oldest first, since inclusive and until exclusive", async () => {
      const sink = await make();
      const records = Array.from({ length: 40 }, (_, i) => auditRecord({ time: T0 + i * 1000 }));
      // Written out of order: the reader sorts.
      for (const r of [...records].reverse()) await sink.write(r);
      await sink.write(auditRecord({ gatewayId: OTHER_GW, time: T0 + 5000 }));
      const found = await sink.query({ gatewayId: GW, since: T0 + 10_000, until: T0 + 20_000 });
      expect(found.map((r) => r.time)).toEqual(records.slice(10, 20).map((r) => r.time));
      expect((await sink.query({ gatewayId: GW })).length).toBe(40);
    });

    it("answers this token and this endpoint", async () => {
      const sink = await make();
      const a = auditRecord({ tokenId: "tok_a", endpoint: "github", time: T0 + 1 });
      const b = auditRecord({ tokenId: "tok_b", endpoint: "stripe", time: T0 + 2 });
      const c = auditRecord({ tokenId: "tok_a", endpoint: "stripe", time: T0 + 3 });
      const d = auditRecord({ tokenId: "tok_a", endpoint: "stripe", gatewayId: OTHER_GW, time: T0 + 4 });
      for (const r of [a, b, c, d]) await sink.write(r);
      expect((await sink.query({ tokenId: "tok_a" })).map((r) => r.requestId)).toEqual([a, c, d].map((r) => r.requestId));
      expect((await sink.query({ gatewayId: GW, tokenId: "tok_a" })).map((r) => r.requestId)).toEqual([a, c].map((r) => r.requestId));
      expect((await sink.query({ gatewayId: GW, endpoint: "stripe" })).map((r) => r.requestId)).toEqual([b, c].map((r) => r.requestId));
      expect((await sink.query({ endpoint: "stripe" })).map((r) => r.requestId)).toEqual([b, c, d].map((r) => r.requestId));
    });

    it("filters by exact status and by status class", async () => {
      const sink = await make();
      const statuses = [200, 201, 401, 404, 404, 429, 502];
      for (const [i, status] of statuses.entries()) await sink.write(auditRecord({ status, time: T0 + i }));
      expect((await sink.query({ gatewayId: GW, status: 404 })).map((r) => r.status)).toEqual([404, 404]);
      expect((await sink.query({ gatewayId: GW, statusClass: 4 })).map((r) => r.status)).toEqual([401, 404, 404, 429]);
      expect((await sink.query({ statusClass: 5 })).map((r) => r.status)).toEqual([502]);
    });

    it("keeps the latest records under a limit, still oldest first", async () => {
      const sink = await make();
      for (let i = 0; i < 30; i++) await sink.write(auditRecord({ time: T0 + i, status: i % 2 ? 404 : 200 }));
      expect((await sink.query({ gatewayId: GW, limit: 5 })).map((r) => r.time)).toEqual([25, 26, 27, 28, 29].map((i) => T0 + i));
      expect((await sink.query({ gatewayId: GW, limit: 3, status: 404 })).map((r) => r.time)).toEqual([25, 27, 29].map((i) => T0 + i));
    });

    it("finds records of requests that matched no gateway", async () => {
      const sink = await make();
      const lost = auditRecord({
        gatewayId: null,
        gatewayName: null,
        endpoint: null,
        tokenId: null,
        tokenLabel: null,
        status: 404,
        decision: "ROUTE_NOT_FOUND",
      });
      await sink.write(lost);
      expect(await sink.query({ status: 404 })).toEqual([lost]);
    });
  });
}
