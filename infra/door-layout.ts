import type { Endpoint } from "../schema/gateway.ts";
import { needsStreamingDoor } from "../functions/contracts/lambda-contract.ts";
import type { FrontDoor } from "./gateway-args.ts";

/** Which functions and doors one gateway gets, and which endpoints each serves. */
export interface DoorLayout {
  /** An HTTP API in front of the buffered API function (with its access log group). */
  apiGateway: boolean;
  /** The endpoints API Gateway serves (empty without it). */
  api: Endpoint[];
  /** The endpoints the response-streaming Function URL serves; without API Gateway, all of them. */
  stream: Endpoint[];
  /** Whether the stream function and its Function URL exist. */
  streamFunction: boolean;
}

/**
 * The doors of a gateway. With API Gateway (the default), endpoints of at most 29 s go through
 * it and the others through a streaming Function URL, which exists only when one needs it. With
 * `function-url`, the streaming Function URL serves every endpoint and there is no API Gateway.
 */
export function doorLayout(frontDoor: FrontDoor, endpoints: Endpoint[]): DoorLayout {
  if (frontDoor === "function-url") return { apiGateway: false, api: [], stream: endpoints, streamFunction: true };
  const stream = endpoints.filter(needsStreamingDoor);
  return { apiGateway: true, api: endpoints.filter((e) => !needsStreamingDoor(e)), stream, streamFunction: stream.length > 0 };
}
