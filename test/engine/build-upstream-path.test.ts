import { describe, expect, it } from "vitest";
import { buildUpstreamPath } from "../../functions/engine/build-upstream-path.ts";
import { defineGateway } from "../../schema/index.ts";

const endpoint = defineGateway({ name: "paths", endpoints: { api: { upstream: "https://api.example.com/v1", methods: ["GET"] } } }).endpoints.api!;
const root = defineGateway({ name: "root", endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"] } } }).endpoints.api!;

describe("buildUpstreamPath", () => {
  it("joins plain tails byte for byte under the upstream path (the fast path)", () => {
    expect(buildUpstreamPath(endpoint, "/items/42", "a=1")).toEqual({ ok: true, origin: "https://api.example.com", path: "/v1/items/42?a=1" });
    expect(buildUpstreamPath(endpoint, "/a%2Fb/~x;y=z", "")).toEqual({ ok: true, origin: "https://api.example.com", path: "/v1/a%2Fb/~x;y=z" });
    expect(buildUpstreamPath(root, "", "")).toEqual({ ok: true, origin: "https://api.example.com", path: "/" });
  });

  it("still parses tails the fast path cannot vouch for, and refuses those that escape", () => {
    // A scheme-relative start would name another host.
    expect(buildUpstreamPath(root, "//evil.example/x", "")).toMatchObject({ ok: false, refusal: { code: "BAD_PATH" } });
    // The parser drops the tab, joining `.` and `.` into a climbing `..`.
    expect(buildUpstreamPath(endpoint, "/.\t./x", "")).toMatchObject({ ok: false, refusal: { code: "BAD_PATH" } });
    // `#` ends the path, exposing the `..` before it.
    expect(buildUpstreamPath(endpoint, "/..#x", "")).toMatchObject({ ok: false, refusal: { code: "BAD_PATH" } });
    expect(buildUpstreamPath(endpoint, "/caf\u00e9", "")).toEqual({ ok: true, origin: "https://api.example.com", path: "/v1/caf\u00e9" });
  });
});
