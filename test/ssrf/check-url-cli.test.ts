import { describe, expect, it } from "vitest";
import type { CliIo } from "../../cli/io.ts";
import { main } from "../../cli/main.ts";

/** A CLI io that keeps what the command prints. No test here reaches DNS: every name is --resolve'd. */
function recordingIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text), cwd: process.cwd(), env: {} };
  return { io, out, err };
}

describe("gatehouse check-url", () => {
  it("exits 0 when every URL is allowed and prints the addresses", async () => {
    const { io, out } = recordingIo();
    const code = await main(
      ["check-url", "https://api.example.com/v1", "https://1.1.1.1/", "--resolve", "api.example.com:93.184.215.14,2606:2800:220:1:248:1893:25c8:1946"],
      io,
    );
    expect(code).toBe(0);
    expect(out).toEqual(["allowed  https://api.example.com/v1 -> 93.184.215.14, 2606:2800:220:1:248:1893:25c8:1946", "allowed  https://1.1.1.1/ -> 1.1.1.1"]);
  });

  it("exits 1 when any URL is refused and names the rule", async () => {
    const { io, out } = recordingIo();
    const code = await main(
      ["check-url", "https://1.1.1.1/", "http://0x7f.1/", "http://rebind.example/", "--resolve=rebind.example:8.8.8.8,[fd00:ec2::254]"],
      io,
    );
    expect(code).toBe(1);
    expect(out[0]).toBe("allowed  https://1.1.1.1/ -> 1.1.1.1");
    expect(out[1]).toContain("refused  http://0x7f.1/\n");
    expect(out[1]).toContain("ipv4:loopback (SSRF_BLOCKED_ADDRESS): 127.0.0.1 is in 127.0.0.0/8");
    expect(out[2]).toContain("dns->ipv6:unique-local (SSRF_DNS_BLOCKED)");
  });

  it("prints JSON with --json", async () => {
    const { io, out } = recordingIo();
    const code = await main(
      [
        "check-url",
        "--json",
        "http://localhost/",
        "http://a.example/",
        "--resolve",
        "a.example:8.8.8.8",
        "--resolve",
        "empty.example:",
        "http://empty.example/",
      ],
      io,
    );
    expect(code).toBe(1);
    expect(JSON.parse(out.join(""))).toEqual({
      results: [
        {
          url: "http://localhost/",
          allowed: false,
          code: "SSRF_BLOCKED_NAME",
          rule: "name:localhost",
          reason: "'localhost' always means this machine (RFC 6761)",
        },
        { url: "http://a.example/", allowed: true, addresses: [{ address: "8.8.8.8", family: 4 }] },
        {
          url: "http://empty.example/",
          allowed: false,
          code: "SSRF_UNRESOLVED",
          rule: "dns:empty-answer",
          reason: "'empty.example': the name resolved to no addresses",
          answers: [],
        },
      ],
    });
  });

  it("checks as an endpoint with an unsafe allowance would", async () => {
    const { io, out } = recordingIo();
    const code = await main(
      ["check-url", "http://billing.internal.example/", "--resolve", "billing.internal.example:10.1.4.20", "--unsafe-allow-private-network", "10.1.0.0/16"],
      io,
    );
    expect(code).toBe(0);
    expect(out[0]).toBe("allowed  http://billing.internal.example/ -> 10.1.4.20 [opened by unsafe allowance 10.1.0.0/16]");
  });

  it.each([
    [["check-url"], "give at least one URL"],
    [["check-url", "--bogus", "http://a.example/"], "gatehouse check-url: unknown option '--bogus'"],
    [["check-url", "http://a.example/", "--resolve", "no-colon"], "must look like host:addr"],
    [["check-url", "http://a.example/", "--resolve", ":1.2.3.4"], "must look like host:addr"],
    [["check-url", "http://a.example/", "--unsafe-allow-private-network", "0.0.0.0/0"], "can never be allowed"],
  ])("exits 2 on a usage error: %j", async (argv, message) => {
    const { io, out, err } = recordingIo();
    expect(await main(argv, io)).toBe(2);
    expect(err.join("\n")).toContain(message);
    expect(err.join("\n")).toContain("usage: gatehouse check-url");
    expect(out).toEqual([]);
  });

  it("prints its usage with --help", async () => {
    const { io, out } = recordingIo();
    expect(await main(["check-url", "--help"], io)).toBe(0);
    expect(out.join("\n")).toContain("--resolve host:addr[,addr]");
  });
});
