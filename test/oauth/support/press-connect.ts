import type { GatewayRequest, GatewayResponse } from "../../../functions/ports/http-types.ts";

/** What the confirm page of a GET of a connect link gave: the page, its form token and cookie. */
export interface ConfirmPage {
  page: GatewayResponse;
  html: string;
  /** The hidden `confirm` field of the form (empty when there is no form). */
  token: string;
  /** `gatehouse_confirm=<value>` as a Cookie header part (empty when none was set). */
  cookie: string;
  /** The form's action, as written (relative to the start URL). */
  action: string;
}

/** Reads the confirm page a GET of a connect link returns. */
export function readConfirmPage(page: GatewayResponse): ConfirmPage {
  const html = page.body instanceof Uint8Array ? Buffer.from(page.body).toString("utf8") : "";
  const setCookie = page.headers["set-cookie"];
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return {
    page,
    html,
    token: /name="confirm" value="([^"]+)"/.exec(html)?.[1] ?? "",
    cookie: cookies.map((c) => c.split(";")[0]!).find((c) => c.startsWith("gatehouse_confirm=")) ?? "",
    action: (/<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? "").replace(/&amp;/g, "&"),
  };
}

/**
 * Opens a connect link the way a person does: GET shows the confirm page, then the button POSTs
 * its form with the page's cookie, as a same-origin browser submission would. Returns both.
 */
export async function pressConnect(
  handle: (request: GatewayRequest) => Promise<GatewayResponse>,
  startUrl: string,
): Promise<{ confirm: ConfirmPage; start: GatewayResponse }> {
  const url = new URL(startUrl);
  const confirm = readConfirmPage(
    await handle({ method: "GET", path: url.pathname, query: url.search.slice(1), headers: {}, body: null, clientAddress: "127.0.0.1" }),
  );
  if (confirm.page.status !== 200) return { confirm, start: confirm.page };
  const target = new URL(confirm.action, url);
  const start = await handle({
    method: "POST",
    path: target.pathname,
    query: target.search.slice(1),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: confirm.cookie, "sec-fetch-site": "same-origin", origin: "null" },
    body: Buffer.from(new URLSearchParams({ confirm: confirm.token }).toString()),
    clientAddress: "127.0.0.1",
  });
  return { confirm, start };
}

/** The `gatehouse_connect` cookie a start response set, as a Cookie header part. */
export function connectCookieOf(start: GatewayResponse): string {
  const setCookie = start.headers["set-cookie"];
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return cookies.map((c) => c.split(";")[0]!).find((c) => c.startsWith("gatehouse_connect=")) ?? "";
}
