import type { GatewayResponse } from "../ports/http-types.ts";

/** What a connect-flow page says. */
export interface PageContent {
  title: string;
  ok: boolean;
  /** Paragraphs of plain text (escaped here). */
  lines: string[];
  /** Label/value rows shown as a list. */
  facts?: Array<[string, string]>;
  /** A POST form with one button (the connect confirm step). */
  form?: PageForm;
}

/** A one-button POST form; `allowTargets` are the origins the submission may end up at (CSP form-action). */
export interface PageForm {
  action: string;
  fields: Record<string, string>;
  button: string;
  allowTargets: string[];
}

/**
 * A small self-contained HTML page for the browser side of the connect flow: no script, no
 * external resources, a CSP that forbids both, never cached, no Referer (the callback URL held
 * a code), not frameable.
 */
export function renderPage(status: number, content: PageContent, requestId: string, extraHeaders: Record<string, string | string[]> = {}): GatewayResponse {
  const facts = content.facts?.length ? `<dl>${content.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>` : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(content.title)} · Gatehouse</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.ok{color:#176d2c}.fail{color:#a31515}dt{font-weight:600}dd{margin:0 0 .5rem 0}small{color:#666}
button{font:inherit;padding:.5rem 1.2rem}</style>
</head><body><h1 class="${content.ok ? "ok" : "fail"}" id="result">${escapeHtml(content.title)}</h1>
${content.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n")}
${facts}
${content.form ? renderForm(content.form) : ""}
<p><small>Request ${escapeHtml(requestId)}</small></p></body></html>
`;
  return {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action ${formAction(content.form)}`,
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
      "x-request-id": requestId,
      ...extraHeaders,
    },
    body: Buffer.from(html),
  };
}

function renderForm(form: PageForm): string {
  const hidden = Object.entries(form.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  return `<form method="post" action="${escapeHtml(form.action)}">${hidden}<button type="submit" id="confirm">${escapeHtml(form.button)}</button></form>`;
}

// Browsers apply form-action to the redirects that follow a submission too, so the provider's
// origin is listed next to our own.
function formAction(form: PageForm | undefined): string {
  return form ? ["'self'", ...form.allowTargets].join(" ") : "'none'";
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
