/**
 * Why an upstream URL is unusable, or null when its form is fine. The SSRF address rules are
 * checked separately (see `checkUpstreamUrlStatic`); this is about the URL's shape.
 */
export function upstreamUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `'${value}' is not an absolute URL; write it like https://api.example.com/v1`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return `upstream must use http or https, not ${url.protocol.replace(/:$/, "")}`;
  }
  if (url.username || url.password) {
    return "upstream must not contain a user name or password; inject credentials with headers.inject and secret()";
  }
  if (value.includes("#")) return "upstream must not have a fragment (#...)";
  if (url.search || value.includes("?")) {
    return "upstream must not have a query string; clients' query strings are forwarded per forwardQuery";
  }
  return null;
}
