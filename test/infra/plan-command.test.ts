import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { recordingIo } from "../helpers/recording-io.ts";

// One plan per file: Pulumi's runtime state is global to the process.
let io: ReturnType<typeof recordingIo>;
let code: number;

beforeAll(async () => {
  io = recordingIo();
  code = await main(["plan", "examples/shared-api-key/gateway.ts", "examples/quickstart/gateway.ts", "--region", "us-east-2"], io);
}, 60_000);

describe("gatehouse plan", () => {
  it("exits 0 and prints each gateway's resources with their key settings", () => {
    expect(io.stderr()).toBe("");
    expect(code).toBe(0);
    const out = io.stdout();
    expect(out).toContain("Plan for stack 'plan' in us-east-2");
    expect(out).toMatch(/gateway 'payments' \(id [0-9a-f-]{36}, revision [0-9a-f]{12}\): 30 resources/);
    expect(out).toMatch(/dynamodb\.Table\s+payments-audit\s+hash pk, range sk, PITR on, SSE customer key, TTL ttl, deletion protection on/);
    expect(out).toMatch(/kms\.Key\s+payments-envelope-key\s+rotation on/);
    expect(out).toMatch(/apigatewayv2\.Integration\s+payments-integration-default\s+payload 2\.0, timeout 30000 ms/);
    expect(out).not.toMatch(/payments-stripe-integration|payments-stripe-route/);
    expect(out).toMatch(/lambda\.Function\s+payments-api\s+nodejs24\.x arm64, 512 MB, timeout 30 s/);
  });

  it("shows each alarm's metric, threshold and period, and the dashboard", () => {
    const out = io.stdout();
    expect(out).toMatch(
      /cloudwatch\.MetricAlarm\s+payments-alarm-5xx-rate\s+IF\(requests >= 20, 100 \* errors \/ requests, 0\) \(errors = Gatehouse\/Errors5xx Sum, requests = Gatehouse\/Requests Sum\) > 5 over 300 s, no notification topic/,
    );
    expect(out).toMatch(/cloudwatch\.MetricAlarm\s+payments-alarm-upstream-failures\s+errors \+ timeouts .* >= 5 over 300 s/);
    expect(out).toMatch(/cloudwatch\.MetricAlarm\s+payments-alarm-throttles-stream\s+AWS\/Lambda\/Throttles Sum >= 1 over 300 s/);
    expect(out).toMatch(/cloudwatch\.Dashboard\s+payments-dashboard\s+gatehouse-\S+-plan-payments, 8 widgets/);
  });

  it("masks secrets: the Ciphertext plaintext shows as [secret]", () => {
    expect(io.stdout()).toMatch(/kms\.Ciphertext\s+payments-secret-stripe-bearer\s+plaintext \[secret\]/);
    expect(io.stdout()).not.toContain("plan-placeholder");
  });

  it("shows where each endpoint is served, the streaming Function URL for those above 29 s", () => {
    const out = io.stdout();
    expect(out).toMatch(/echo: https:\/\/quickstart-api\.execute-api\.us-east-2\.amazonaws\.com\/api\/[0-9a-f-]{36}\/proxy\/echo {2}\(timeout 10 s\)/);
    expect(out).toMatch(
      /httpbin: https:\/\/quickstart-api\.execute-api\.us-east-2\.amazonaws\.com\/api\/[0-9a-f-]{36}\/proxy\/httpbin {2}\(timeout 29 s, held to 28 s on API Gateway: its 30 s less the store budget of 1900 ms\)/,
    );
    expect(out).toMatch(
      /stripe-reports: https:\/\/payments-stream-url\.lambda-url\.us-east-2\.on\.aws\/api\/[0-9a-f-]{36}\/proxy\/stripe-reports {2}\(timeout 120 s, streaming Function URL\)/,
    );
    expect(out).toMatch(/lambda\.FunctionUrl\s+payments-stream-url\s+RESPONSE_STREAM, auth NONE/);
    expect(out).not.toMatch(/quickstart-stream-url/);
  });

  it("shows where each injected header comes from, never a value", () => {
    const out = io.stdout();
    expect(out).toMatch(/ {4}stripe: https:\/\/\S+\/proxy\/stripe {2}\(timeout 20 s\)\n {6}injects authorization: "Bearer " \+ secret STRIPE_BEARER\n/);
    expect(out).toContain("      injects x-demo-key: secret QUICKSTART_DEMO_KEY\n");
  });

  it("shows the stage throttle per route, the routes, and what the whole API Gateway URL admits", () => {
    const lines = io
      .stdout()
      .split("\n")
      .filter((l) => l.includes("stage throttle:"));
    expect(lines).toEqual([
      "  stage throttle: 100 requests/s, burst 200, per route × 1 route = 100 requests/s, burst 200 for the whole API Gateway URL",
      "  stage throttle: 100 requests/s, burst 200, per route × 1 route = 100 requests/s, burst 200 for the whole API Gateway URL",
    ]);
  });

  it("says which front door each gateway has", () => {
    expect(io.stdout()).toContain("  front door: API Gateway HTTP API, and a streaming Function URL for the endpoints above 29 s\n");
    expect(io.stdout()).toContain("  front door: API Gateway HTTP API\n");
  });

  it("--front-door function-url plans the Function-URL-only door: no API Gateway, every endpoint on the Function URL", async () => {
    const direct = recordingIo();
    expect(await main(["plan", "examples/quickstart/gateway.ts", "--front-door", "function-url"], direct)).toBe(0);
    const out = direct.stdout();
    expect(out).toMatch(/gateway 'quickstart' \(id [0-9a-f-]{36}, revision [0-9a-f]{12}\): 20 resources/);
    expect(out).not.toMatch(/apigatewayv2|^ {2}stage throttle|access-logs/m);
    expect(out).toMatch(/lambda\.Function\s+quickstart-stream\s+nodejs24\.x arm64, 512 MB, timeout 34 s, handler index\.streamHandler/);
    expect(out).toContain(
      "  front door: Function URL only (response streaming; no API Gateway, so no stage throttle: reservedConcurrency and rate limits cap it)\n",
    );
    expect(out).toMatch(
      /httpbin: https:\/\/quickstart-stream-url\.lambda-url\.eu-west-1\.on\.aws\/api\/[0-9a-f-]{36}\/proxy\/httpbin {2}\(timeout 29 s, streaming Function URL\)\n/,
    );
  }, 60_000);

  it("--front-door takes api-gateway or function-url (exit 2 otherwise)", async () => {
    const bad = recordingIo();
    expect(await main(["plan", "examples/quickstart/gateway.ts", "--front-door", "cloudfront"], bad)).toBe(2);
    expect(bad.stderr()).toContain("gatehouse plan: --front-door must be api-gateway or function-url, not 'cloudfront'");
  });

  it("is a registered command", async () => {
    const help = recordingIo();
    await main(["--help"], help);
    expect(help.stdout()).toMatch(/plan\s+Show the AWS resources/);
  });

  it("without files is a usage error (exit 2)", async () => {
    const usage = recordingIo();
    expect(await main(["plan"], usage)).toBe(2);
    expect(usage.stderr()).toContain("gatehouse plan: name at least one definition file");
  });

  it("names a missing file as a usage error (exit 2)", async () => {
    const bad = recordingIo();
    expect(await main(["plan", "no/such/file.ts"], bad)).toBe(2);
    expect(bad.stderr()).toContain("gatehouse plan: no such file: no/such/file.ts\nusage: gatehouse plan");
  });
});
