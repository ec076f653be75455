import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLocalStores } from "../../functions/front-doors/node/wire-stores.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import type { AuditRecord } from "../../functions/ports/audit-sink.ts";
import { recordGateways } from "../../cli/gateway-names.ts";
import { main } from "../../cli/main.ts";
import { gatewayIdFromName } from "../../schema/gateway-id.ts";
import { recordingIo } from "../helpers/recording-io.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";

// Issue 15 item 6: a token label with a newline and an ANSI escape faked rows in `token list`
// and `audit`; `validate` echoed an invalid slug's raw bytes. Labels with control characters
// are refused, and everything printed from stored data or a definition is escaped.

const repo = join(import.meta.dirname, "..", "..");
const EVIL = "billing\n\x1b[31mtok_FAKE  admin  (all)\x1b[0m\u202e";
const ESC = "\x1b";
const gatewayId = gatewayIdFromName("acme");
let dir: string;
let data: string;

beforeAll(async () => {
  await mkdir(join(repo, ".gatehouse"), { recursive: true });
  dir = await mkdtemp(join(repo, ".gatehouse", "cli-injection-"));
  data = join(dir, "data");
  await recordGateways(data, [{ name: "acme", id: gatewayId }]);
  // Data written before labels were checked (or by another tool): it must still print safely.
  const stores = await openLocalStores({ memory: false, dataDir: data });
  try {
    await issueToken(stores.tokens, { gatewayId, label: EVIL, now: Date.now() });
    const record: AuditRecord = auditRecord({
      requestId: "req_injected",
      time: Date.now(),
      gatewayId,
      endpoint: "api",
      tokenId: "tok_abc",
      tokenLabel: EVIL,
      path: "/api/x/proxy/api/a\r\n2026-01-01T00:00:00.000Z  200  OK  GET  api",
      revision: "r1",
    });
    await stores.audit.write(record);
  } finally {
    await stores.close();
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("CLI output from stored data", () => {
  it("token create refuses a label with control characters, exit 2, nothing stored", async () => {
    const io = recordingIo(dir);
    expect(await main(["token", "create", "--gateway", "acme", "--data", data, "--label", "ops\n\x1b[2Jx"], io)).toBe(2);
    expect(io.stderr()).toContain("--label must not contain control characters");
    const list = recordingIo(dir);
    expect(await main(["token", "list", "--gateway", "acme", "--data", data, "--json"], list)).toBe(0);
    expect(JSON.parse(list.stdout())).toHaveLength(1);
  });

  it("token list prints a stored label escaped: one row, no raw escape or newline", async () => {
    const io = recordingIo(dir);
    expect(await main(["token", "list", "--gateway", "acme", "--data", data], io)).toBe(0);
    const out = io.stdout();
    expect(out).not.toContain(ESC);
    expect(out).not.toContain("\u202e");
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(2); // header + the one token
    expect(lines[1]).toContain("billing\\n\\x1b[31mtok_FAKE  admin  (all)\\x1b[0m\\u202e");
  });

  it("audit prints a stored label and path escaped: one row per record", async () => {
    const io = recordingIo(dir);
    expect(await main(["audit", "--gateway", "acme", "--data", data], io)).toBe(0);
    const out = io.stdout();
    expect(out).not.toContain(ESC);
    expect(out).not.toContain("\r");
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("(billing\\n\\x1b[31mtok_FAKE");
    expect(lines[1]).toContain("/api/x/proxy/api/a\\r\\n2026-01-01");
  });
});

describe("validate", () => {
  it("an invalid slug with an escape and a newline is echoed escaped", async () => {
    const file = join(dir, "evil.ts");
    await writeFile(
      file,
      `import { defineGateway } from "gatehouse-gateway";\nexport default defineGateway({ name: "evil", endpoints: { "bad\\u001b[2J\\nslug": { upstream: "https://api.example.com", methods: ["GET"] } } } as never);\n`,
    );
    const io = recordingIo(dir);
    expect(await main(["validate", file], io)).toBe(1);
    const out = io.stdout() + io.stderr();
    expect(out).not.toContain(ESC);
    expect(out).toContain("bad\\x1b[2J\\nslug");
  });
});
