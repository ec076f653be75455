import { describe, expect, it } from "vitest";
import { checkDependencies, formatViolation } from "./dependency-rules.ts";
import { parseSource, readSourceTree, REPOSITORY_ROOT } from "./read-imports.ts";

/** Checks a synthetic tree given as path -> source text. */
function check(files: Record<string, string>): string[] {
  return checkDependencies(Object.entries(files).map(([path, text]) => parseSource(path, text))).map(formatViolation);
}

describe("the dependency rule", () => {
  it("holds for every source file of the repository", () => {
    const files = readSourceTree(REPOSITORY_ROOT);
    // The walk must really have found the tree, or the rule would pass vacuously.
    expect(files.filter((f) => f.path.startsWith("functions/engine/")).length).toBeGreaterThan(10);
    expect(files.some((f) => f.path.startsWith("infra/"))).toBe(true);
    expect(files.some((f) => f.path.startsWith("cli/"))).toBe(true);
    // The definition loader is a package of its own that both cli/ and infra/ import.
    expect(files.some((f) => f.path.startsWith("loader/"))).toBe(true);
    expect(checkDependencies(files).map(formatViolation)).toEqual([]);
  });
});

// Each case is an edge the structure review (issue 13) found in the tree, as a minimal file set:
// the checker must name the file and what it reaches.
describe("the checker flags", () => {
  it("a Node built-in in the engine", () => {
    expect(check({ "functions/engine/create-engine.ts": 'import { randomUUID } from "node:crypto";\n' })).toEqual([
      "functions/engine/create-engine.ts:1 -> node:crypto: the engine is runtime-neutral: no Node built-ins (use web-standard APIs)",
    ]);
  });

  it("a bare Node built-in name and a package in the engine", () => {
    expect(check({ "functions/engine/a.ts": 'import { createHash } from "crypto";\nimport { z } from "zod";\n' })).toEqual([
      "functions/engine/a.ts:1 -> crypto: the engine is runtime-neutral: no Node built-ins (use web-standard APIs)",
      "functions/engine/a.ts:2 -> zod: the engine depends on no package",
    ]);
  });

  it("Buffer in the engine and NodeJS types in the ports", () => {
    expect(
      check({
        "functions/engine/problem-response.ts": "export const body = () => Buffer.from('{}');\n",
        "functions/ports/http-types.ts": "export interface B { takeReadable?(): NodeJS.ReadableStream | null }\n",
        "functions/engine/audited-body.ts": "const p = process.env;\nexport const x = p;\n",
      }),
    ).toEqual([
      "functions/engine/problem-response.ts:1 -> Buffer: the engine uses no Node-only global or type (web-standard APIs only)",
      "functions/ports/http-types.ts:1 -> NodeJS.ReadableStream: the ports uses no Node-only global or type (web-standard APIs only)",
      "functions/engine/audited-body.ts:1 -> process: the engine uses no Node-only global or type (web-standard APIs only)",
    ]);
  });

  it("a Node built-in and Buffer in the tokens module the engine imports", () => {
    expect(
      check({
        "functions/engine/verify-token.ts": 'import { hashToken } from "../tokens/token-format.ts";\n',
        "functions/tokens/token-format.ts":
          'import { createHash } from "node:crypto";\nexport const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");\n',
      }),
    ).toEqual([
      "functions/tokens/token-format.ts:1 -> node:crypto: the tokens is runtime-neutral: no Node built-ins (use web-standard APIs)",
      "functions/tokens/token-format.ts:2 -> Buffer: the tokens uses no Node-only global or type (web-standard APIs only)",
    ]);
  });

  it("does not count names that only look like Node globals", () => {
    expect(
      check({
        "functions/engine/a.ts":
          "const o = { process: 1, Buffer: 2 };\nexport const v = o.process + o.Buffer;\nexport function f(process: number) { return process + 1; }\n",
      }),
    ).toEqual([
      // A parameter named like the global still counts where it is used: the check reads names, not scopes, and errs on the strict side.
      "functions/engine/a.ts:3 -> process: the engine uses no Node-only global or type (web-standard APIs only)",
    ]);
  });

  it("the engine reaching an adapter, a front door or the OAuth module", () => {
    expect(
      check({
        "functions/engine/a.ts":
          'import type { X } from "../adapters/memory/x.ts";\nimport { y } from "../front-doors/node/y.ts";\nimport { z } from "../oauth/z.ts";\n',
      }),
    ).toEqual([
      "functions/engine/a.ts:1 -> functions/adapters/memory/x.ts: engine may import only schema, ports, tokens",
      "functions/engine/a.ts:1 -> functions/adapters/memory/x.ts: only a front door's wire module picks implementations (adapters)",
      "functions/engine/a.ts:2 -> functions/front-doors/node/y.ts: engine may import only schema, ports, tokens",
      "functions/engine/a.ts:3 -> functions/oauth/z.ts: engine may import only schema, ports, tokens",
    ]);
  });

  it("infra importing the table definitions from an adapter", () => {
    expect(
      check({
        "infra/gateway.ts": 'import { TABLES } from "../functions/adapters/aws/tables.ts";\n',
        "infra/role-policy.ts": 'import type { TableKey } from "../functions/adapters/aws/tables.ts";\n',
      }),
    ).toEqual([
      "infra/gateway.ts:1 -> functions/adapters/aws/tables.ts: only a front door's wire module picks implementations (adapters)",
      "infra/gateway.ts:1 -> functions/adapters/aws/tables.ts: infra/ imports schema/, contracts and the definition loader, never adapters",
      "infra/role-policy.ts:1 -> functions/adapters/aws/tables.ts: only a front door's wire module picks implementations (adapters)",
      "infra/role-policy.ts:1 -> functions/adapters/aws/tables.ts: infra/ imports schema/, contracts and the definition loader, never adapters",
    ]);
  });

  it("infra importing cli/ while cli/ imports infra (a cycle between packages)", () => {
    expect(
      check({
        "infra/load-gateway-folder.ts": 'import { loadDefinitionFile } from "../cli/load-definitions.ts";\n',
        "cli/load-definitions.ts": "export const loadDefinitionFile = 1;\n",
        "cli/commands/plan.ts": 'import { deployGateways } from "../../infra/deploy-gateways.ts";\n',
        "infra/deploy-gateways.ts": "export const deployGateways = 1;\n",
      }),
    ).toEqual([
      "infra/load-gateway-folder.ts:1 -> cli/load-definitions.ts: infra/ imports schema/, contracts and the definition loader, never cli",
      "cli/commands/plan.ts:1 -> infra/deploy-gateways.ts: cycle between packages cli -> infra -> cli (cli/commands/plan.ts imports infra/deploy-gateways.ts; infra/load-gateway-folder.ts imports cli/load-definitions.ts)",
    ]);
  });

  it("infra importing a value from the Lambda front door", () => {
    expect(check({ "infra/gateway.ts": 'import { STREAM_URL_ENV } from "../functions/front-doors/lambda/create-handler.ts";\n' })).toEqual([
      "infra/gateway.ts:1 -> functions/front-doors/lambda/create-handler.ts: infra/ imports schema/, contracts and the definition loader, never front-door",
    ]);
  });

  it("one command importing another, and a command importing the entry", () => {
    expect(
      check({
        "cli/diff/diff-resources.ts": 'import { describe } from "../commands/plan.ts";\n',
        "cli/commands/audit.ts": 'import type { Command } from "../main.ts";\n',
        "cli/main.ts": 'import { audit } from "./commands/audit.ts";\n',
      }),
    ).toEqual([
      "cli/diff/diff-resources.ts:1 -> cli/commands/plan.ts: commands are leaves: only cli/main.ts dispatches to them (share code through a module of its own)",
      "cli/commands/audit.ts:1 -> cli/main.ts: cli/main.ts is the entry: nothing imports it (shared types live in their own files)",
    ]);
  });

  it("a front door module other than its wire module picking an adapter", () => {
    expect(
      check({
        "functions/front-doors/node/node-server.ts": 'import { MemoryTokenStore } from "../../adapters/memory/memory-token-store.ts";\n',
        "functions/front-doors/node/wire-local.ts": 'import { MemoryTokenStore } from "../../adapters/memory/memory-token-store.ts";\n',
        "functions/oauth/oauth-http.ts": 'import { createGuardedAgent } from "../adapters/upstream/ssrf/create-guarded-agent.ts";\n',
      }),
    ).toEqual([
      "functions/front-doors/node/node-server.ts:1 -> functions/adapters/memory/memory-token-store.ts: only a front door's wire module picks implementations (adapters)",
      "functions/oauth/oauth-http.ts:1 -> functions/adapters/upstream/ssrf/create-guarded-agent.ts: only a front door's wire module picks implementations (adapters)",
    ]);
  });

  it("an adapter reaching the engine or a front door", () => {
    expect(
      check({
        "functions/adapters/aws/a.ts":
          'import { x } from "../../engine/x.ts";\nimport { y } from "../../front-doors/lambda/y.ts";\nimport { z } from "../../contracts/tables.ts";\n',
      }),
    ).toEqual([
      "functions/adapters/aws/a.ts:1 -> functions/engine/x.ts: adapters may import only schema, contracts, ports, tokens",
      "functions/adapters/aws/a.ts:2 -> functions/front-doors/lambda/y.ts: adapters may import only schema, contracts, ports, tokens",
    ]);
  });

  it("schema importing anything above it, and contracts importing beyond schema", () => {
    expect(
      check({
        "schema/endpoint.ts": 'import type { TokenRecord } from "../functions/ports/token-store.ts";\n',
        "functions/contracts/tables.ts": 'import type { X } from "../adapters/aws/x.ts";\n',
      }),
    ).toEqual([
      "schema/endpoint.ts:1 -> functions/ports/token-store.ts: schema/ imports nothing above it",
      "functions/contracts/tables.ts:1 -> functions/adapters/aws/x.ts: contracts may import only schema",
      "functions/contracts/tables.ts:1 -> functions/adapters/aws/x.ts: only a front door's wire module picks implementations (adapters)",
    ]);
  });

  it("the definition loader reaching beyond schema/", () => {
    expect(check({ "loader/load-definition-file.ts": 'import { x } from "../cli/io.ts";\n' })).toEqual([
      "loader/load-definition-file.ts:1 -> cli/io.ts: loader may import only schema",
    ]);
  });

  it("dynamic imports, re-exports, import types and require all count", () => {
    expect(
      check({
        "functions/engine/a.ts":
          'export { x } from "node:fs";\nconst m = await import("node:os");\ntype T = import("node:stream").Readable;\nexport const v: T | typeof m | null = null;\n',
        "functions/ports/b.cjs.ts": 'const fs = require("node:fs");\nexport const w = fs;\n',
      }),
    ).toEqual([
      "functions/engine/a.ts:1 -> node:fs: the engine is runtime-neutral: no Node built-ins (use web-standard APIs)",
      "functions/engine/a.ts:2 -> node:os: the engine is runtime-neutral: no Node built-ins (use web-standard APIs)",
      "functions/engine/a.ts:3 -> node:stream: the engine is runtime-neutral: no Node built-ins (use web-standard APIs)",
      "functions/ports/b.cjs.ts:1 -> node:fs: the ports is runtime-neutral: no Node built-ins (use web-standard APIs)",
    ]);
  });
});
