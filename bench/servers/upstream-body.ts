/** The upstream's fixed answer: a JSON document of exactly 1024 bytes. */
export const UPSTREAM_BODY: Buffer = (() => {
  const base = { id: "item_0001", kind: "bench", ok: true, padding: "" };
  const empty = Buffer.byteLength(JSON.stringify(base));
  return Buffer.from(JSON.stringify({ ...base, padding: "x".repeat(1024 - empty) }));
})();
