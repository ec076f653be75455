import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayIdFromName } from "../../schema/gateway-id.ts";
import { createTempRepo, definitionSource, type TempRepo } from "./support/temp-repo.ts";

const OWN_ID = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
const gateway = (name: string, timeoutSeconds: number, extra: object = {}) => ({
  name,
  ...extra,
  endpoints: { llm: { upstream: "https://api.example.com/v1", methods: ["POST"], timeoutSeconds, rateLimit: { perMinute: 10 } } },
});

type Json = {
  summary: Record<string, number>;
  gateways: Array<{ name: string; changes: Array<{ effect: string; kind: string; text: string; alert?: boolean; breaking?: boolean }> }>;
};

describe("gatehouse diff: changes that move a client URL are breaking 🚨 (no --infra needed)", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = createTempRepo();
  });
  afterAll(() => repo.cleanup());

  let left: string[] = [];
  async function compare(files: { before: Record<string, object>; after: Record<string, object> }): Promise<Json> {
    // Each case starts from an empty gateways/: the files the previous case left are removed.
    for (const file of left) repo.remove(file);
    left = Object.keys(files.after);
    for (const [file, definition] of Object.entries(files.before)) repo.write(file, definitionSource(definition));
    repo.commit("before");
    for (const file of Object.keys(files.before)) repo.remove(file);
    for (const [file, definition] of Object.entries(files.after)) repo.write(file, definitionSource(definition));
    repo.commit("after");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--format", "json");
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    return JSON.parse(result.out) as Json;
  }
  const flat = (json: Json) => json.gateways.flatMap((g) => g.changes.map((c) => [g.name, c.effect, c.kind, c.text, c.breaking === true, c.alert === true]));

  it("a timeout raised across 29 s moves the endpoint onto the streaming Function URL", async () => {
    const json = await compare({ before: { "gateways/ai.ts": gateway("ai", 20) }, after: { "gateways/ai.ts": gateway("ai", 120) } });
    expect(flat(json)).toEqual([
      [
        "ai",
        "neutral",
        "timeout-door",
        "timeout on `llm` raised from 20 s to 120 s: above 29 s it moves from the API Gateway URL to the streaming Function URL, so its client URL changes (the old URL answers 421 with the new one)",
        true,
        true,
      ],
    ]);
    expect(json.summary).toEqual({ widening: 0, narrowing: 0, neutral: 1, breaking: 1 });
  });

  it("a timeout lowered to 29 s moves it back; one that stays on its side is plain neutral", async () => {
    const back = await compare({ before: { "gateways/ai.ts": gateway("ai", 120) }, after: { "gateways/ai.ts": gateway("ai", 29) } });
    expect(flat(back)).toEqual([
      [
        "ai",
        "neutral",
        "timeout-door",
        "timeout on `llm` lowered from 120 s to 29 s: at 29 s or less it moves from the streaming Function URL to the API Gateway URL, so its client URL changes",
        true,
        true,
      ],
    ]);
    const same = await compare({ before: { "gateways/ai.ts": gateway("ai", 29) }, after: { "gateways/ai.ts": gateway("ai", 10) } });
    expect(flat(same)).toEqual([["ai", "neutral", "timeout", "timeout on `llm` lowered from 29 s to 10 s", false, false]]);
    expect(same.summary.breaking).toBe(0);
  });

  it("a gateway id change is breaking", async () => {
    const json = await compare({ before: { "gateways/ai.ts": gateway("ai", 10) }, after: { "gateways/ai.ts": gateway("ai", 10, { id: OWN_ID }) } });
    expect(flat(json)).toEqual([
      ["ai", "neutral", "gateway-id", `gateway id changed from ${gatewayIdFromName("ai")} to ${OWN_ID}: every client URL of \`ai\` changes`, true, true],
    ]);
  });

  it("a name changed in place is one rename (breaking), compared with its old self rather than removed and added", async () => {
    const json = await compare({ before: { "gateways/ai.ts": gateway("ai", 10) }, after: { "gateways/ai.ts": gateway("assist", 15) } });
    expect(flat(json)).toEqual([
      [
        "assist",
        "neutral",
        "gateway-name",
        "gateway `ai` was renamed to `assist`: Pulumi names its AWS resources after the gateway, so they are created anew (a new API URL, new and empty tables) and every client URL changes",
        true,
        true,
      ],
      [
        "assist",
        "neutral",
        "gateway-id",
        `gateway id changed from ${gatewayIdFromName("ai")} to ${gatewayIdFromName("assist")}: every client URL of \`assist\` changes`,
        true,
        true,
      ],
      ["assist", "neutral", "timeout", "timeout on `llm` raised from 10 s to 15 s", false, false],
    ]);
    expect(json.summary).toEqual({ widening: 0, narrowing: 0, neutral: 3, breaking: 2 });
  });

  it("a gateway with its own id renamed and moved to another file is still one rename", async () => {
    const json = await compare({
      before: { "gateways/a.ts": gateway("ai", 10, { id: OWN_ID }) },
      after: { "gateways/b.ts": gateway("assist", 10, { id: OWN_ID }) },
    });
    expect(flat(json)).toEqual([
      [
        "assist",
        "neutral",
        "gateway-name",
        "gateway `ai` was renamed to `assist`: Pulumi names its AWS resources after the gateway, so they are created anew (a new API URL, new and empty tables) and every client URL changes",
        true,
        true,
      ],
    ]);
  });

  it("a gateway replaced by another in a different file stays a removal and an addition", async () => {
    const json = await compare({ before: { "gateways/a.ts": gateway("ai", 10) }, after: { "gateways/b.ts": gateway("search", 10) } });
    expect(flat(json).map((c) => [c[0], c[1], c[2]])).toEqual([
      ["ai", "narrowing", "gateway"],
      ["search", "widening", "gateway"],
      ["search", "widening", "endpoint"],
    ]);
    expect(json.summary.breaking).toBe(0);
  });

  it("markdown and text call breaking changes out and count them", async () => {
    for (const file of left) repo.remove(file);
    left = [];
    repo.write("gateways/ai.ts", definitionSource(gateway("ai", 20)));
    repo.commit("before");
    repo.write("gateways/ai.ts", definitionSource(gateway("ai", 60)));
    repo.commit("after");
    const md = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--format", "markdown");
    expect(md.code).toBe(0);
    expect(md.out).toContain("0 widening, 0 narrowing, 1 neutral; 🚨 **1 breaking**.");
    expect(md.out).toContain("> [!CAUTION]\n> This change moves client URLs. Clients must be given the new URLs (🚨 **breaking** lines).");
    expect(md.out).toContain("- 🚨 **breaking** ➖ neutral: timeout on `llm` raised from 20 s to 60 s: above 29 s it moves");
    const text = await repo.diff("--base", "HEAD~1", "--head", "HEAD");
    expect(text.out).toContain("0 widening, 0 narrowing, 1 neutral; 1 BREAKING (client URLs move)");
    expect(text.out).toContain("! = neutral    BREAKING: timeout on `llm` raised from 20 s to 60 s");
  });
});
