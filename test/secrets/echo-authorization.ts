import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

/**
 * A loopback upstream that reflects what it was sent, as httpbin's `/headers` does: the
 * `Authorization` and `X-Api-Key` it received, in the body and in a response header.
 */
export function startEchoAuthorization(): Promise<UpstreamStub> {
  return startUpstream((req, res) => {
    const authorization = String(req.headers.authorization ?? "");
    const body = JSON.stringify({ authorization, apiKey: String(req.headers["x-api-key"] ?? "") });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-echo-authorization": authorization });
    res.end(body);
  });
}
