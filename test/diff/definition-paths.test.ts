import { describe, expect, it } from "vitest";
import { isSelectedBy } from "../../cli/diff/definition-paths.ts";

describe("isSelectedBy", () => {
  it.each([
    ["gateways/a.ts", true],
    ["gateways/a.mts", true],
    ["gateways/a.cts", true],
    ["gateways/a.js", true],
    ["gateways/a.mjs", true],
    ["gateways/a.cjs", true],
    ["gateways/sub/a.ts", true],
    ["gateways/a.d.ts", false],
    ["gateways/a.d.mts", false],
    ["gateways/a.d.cts", false],
    ["gateways/a.json", false],
    ["gateways/README.md", false],
    ["gatewaysx/a.ts", false],
  ])("%s below gateways/: %s", (file, selected) => {
    expect(isSelectedBy(file, "gateways")).toBe(selected);
  });

  it("selects a named file whatever its extension", () => {
    expect(isSelectedBy("gateways/a.json", "gateways/a.json")).toBe(true);
  });
});
