import { readFile, writeFile } from "node:fs/promises";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { auditRecordJsonSchema } from "../../schema/audit-record.ts";

// Issue 19 item 7: the JSON Schema shipped in the package is generated from the zod schema the
// AuditRecord type comes from; this test fails when the committed file is stale. To refresh it:
//   GATEHOUSE_WRITE_AUDIT_SCHEMA=1 npx vitest run test/audit/audit-record-schema.test.ts && npx biome format --write schema

const FILE = new URL("../../schema/audit-record.schema.json", import.meta.url);
const PACKAGE = new URL("../../package.json", import.meta.url);

describe("schema/audit-record.schema.json", () => {
  it("is exactly what the zod schema generates", async () => {
    // Compared as data, not text: Biome formats the committed file.
    const generated = auditRecordJsonSchema();
    if (process.env.GATEHOUSE_WRITE_AUDIT_SCHEMA === "1") await writeFile(FILE, `${JSON.stringify(generated, null, 2)}\n`);
    const committed = JSON.parse(await readFile(FILE, "utf8"));
    expect(committed).toEqual(generated);
    expect(Object.keys(committed.properties)).toEqual(Object.keys(generated.properties as object));
  });

  it("is a valid draft 2020-12 schema that refuses unknown fields and missing ones", async () => {
    const schema = JSON.parse(await readFile(FILE, "utf8"));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toHaveLength(24);
    expect(validate({ requestId: "req_1" })).toBe(false);
    expect(validate.errors?.[0]?.message).toBe("must have required property 'time'");
  });

  it("ships in the package: listed in files and exported", async () => {
    const pkg = JSON.parse(await readFile(PACKAGE, "utf8"));
    expect(pkg.files).toContain("schema/audit-record.schema.json");
    expect(pkg.exports["./audit-record.schema.json"]).toBe("./schema/audit-record.schema.json");
  });
});

describe("README: The audit record", () => {
  it("documents every field of the schema, in its order", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("### The audit record"), readme.indexOf("## OAuth connections"));
    const documented = [...section.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(auditRecordJsonSchema().properties as object));
  });
});
