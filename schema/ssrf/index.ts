/**
 * SSRF rules, pure (no DNS, no sockets), shared by the definition language and the
 * request-time guard in functions/adapters/upstream/ssrf.
 */
export { checkUpstreamUrlStatic } from "./check-upstream-url-static.ts";
export { analyzeUpstreamUrl, type UrlTarget } from "./analyze-upstream-url.ts";
export { classifyAddress, type AddressVerdict, type ClassifyOptions } from "./classify-address.ts";
export { classifyAnswer } from "./classify-answer.ts";
export { classifyHostname, CLOUD_METADATA_NAMES } from "./classify-hostname.ts";
export { validateAllowance } from "./validate-allowance.ts";
export { compileAllowList, type AllowInput, type AllowList } from "./allow-list.ts";
export { CLOUD_METADATA, findCloudMetadata, type MetadataEndpoint } from "./cloud-metadata.ts";
export { IPV4_RULES, IPV6_RULES, type AddressRule } from "./address-rules.ts";
export {
  EMBEDDINGS,
  embeddedIpv4,
  embeddingOf,
  ipv4At,
  reachableIpv4,
  type EmbeddedIpv4,
  type Embedding,
  type EmbeddingPlace,
  type EmbeddingRule,
} from "./embedded-ipv4.ts";
export { parseIp, parseIpv4, parseIpv6 } from "./parse-ip.ts";
export { parseLegacyIpv4 } from "./parse-legacy-ipv4.ts";
export { normalizeIpLiteral } from "./normalize-ip-literal.ts";
export { formatIp } from "./format-ip.ts";
export { parseCidr, cidrContains, cidrsOverlap, type Cidr, type CidrParse } from "./parse-cidr.ts";
export { sameIp, type IpAddress } from "./ip-address.ts";
export { SSRF_CODES, type SsrfCode, type StaticRefusal } from "./ssrf-codes.ts";
