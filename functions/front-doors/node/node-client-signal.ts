import type { ClientSignal } from "../../ports/http-types.ts";

type AbortListener = ((event: { type: "abort" }) => void) | { handleEvent(event: { type: "abort" }): void };

/**
 * The request's `signal`, aborted when the client goes away before the response is finished:
 * the part of AbortSignal the engine and the upstream client use (`aborted`, `reason`,
 * `throwIfAborted`, add/removeEventListener of "abort"). An AbortController per request, with
 * the EventTarget machinery behind it and the upstream client's listener on it, cost several
 * microseconds of a proxied request's CPU; this is a flag and, rarely, a short array.
 */
export class NodeClientSignal implements ClientSignal {
  aborted = false;
  reason: unknown = undefined;
  onabort: AbortListener | null = null;
  private listeners: AbortListener[] | null = null;

  addEventListener(type: string, listener: AbortListener | null): void {
    if (type !== "abort" || listener === null || this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(type: string, listener: AbortListener | null): void {
    if (type !== "abort" || this.listeners === null) return;
    const at = this.listeners.indexOf(listener!);
    if (at >= 0) this.listeners.splice(at, 1);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new DOMException("The client went away", "AbortError");
    const listeners = this.listeners;
    this.listeners = null;
    const event = { type: "abort" as const };
    if (typeof this.onabort === "function") this.onabort(event);
    for (const listener of listeners ?? []) {
      if (typeof listener === "function") listener(event);
      else listener.handleEvent(event);
    }
  }
}
