// SPDX-License-Identifier: Apache-2.0
import type { LogEntry } from "./state.js";
import type { Modes } from "./modes.js";

/**
 * Typed client of the control API (docs/emulator.md), for tests, benchmarks and demos — works
 * against an in-process emulator and a CLI-started one alike (plain HTTP, global fetch).
 */
export class EmulatorControl {
  constructor(readonly controlUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator control ${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Back to the start seed and modes. */
  reset(): Promise<void> { return this.call("POST", "/reset"); }
  /** Adds publishers, principals and offers. */
  seed(data: { publishers?: Array<{ id: string; displayText?: string }>; principals?: unknown[]; offers?: Array<{ publisherId: string; offer: Record<string, unknown>; migrated?: boolean }> }): Promise<unknown> { return this.call("POST", "/seed", data); }
  /** Reads the modes. */
  modes(): Promise<Modes> { return this.call("GET", "/modes"); }
  /** Changes some modes. */
  setModes(patch: Partial<Modes>): Promise<Modes> { return this.call("PATCH", "/modes", patch); }
  /** Injects a fault into the next matching requests. */
  injectFault(fault: { method?: string; path: string; count?: number; status?: number; retryAfter?: number | string; body?: unknown; headers?: Record<string, string>; delayMs?: number; reset?: boolean }): Promise<{ id: string }> { return this.call("POST", "/faults", fault); }
  /** Removes pending faults. */
  clearFaults(): Promise<void> { return this.call("DELETE", "/faults"); }
  /** Forces how the running (or next) operation of an offer ends. */
  forceOutcome(publisherId: string, offerId: string, outcome: { outcome: "fail" | "block" | "reject" | "cancel"; step?: string; message?: string }): Promise<void> {
    return this.call("POST", `/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}/outcome`, outcome);
  }
  /** Internal view of an offer (draft with secrets, slots, ETag). */
  offer(publisherId: string, offerId: string): Promise<{ draft: Record<string, any>; etag: string; migrated: boolean; preview: Record<string, any> | null; production: Record<string, any> | null; versions: string[] }> {
    return this.call("GET", `/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}`);
  }
  /** An out-of-band edit (JSON merge patch of the Draft), as from the portal. */
  editOffer(publisherId: string, offerId: string, patch: Record<string, unknown>): Promise<{ etag: string }> {
    return this.call("PATCH", `/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}`, patch);
  }
  /** Makes an offer vanish. */
  deleteOffer(publisherId: string, offerId: string): Promise<void> {
    return this.call("DELETE", `/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}`);
  }
  /** The request log after sequence number `since`. */
  requests(since = 0): Promise<LogEntry[]> { return this.call("GET", `/requests?since=${since}`); }
  /** Clears the request log. */
  clearRequests(): Promise<void> { return this.call("DELETE", "/requests"); }
  /** Every operation with its computed status. */
  operations(): Promise<Array<{ id: string; publisherId: string; offerId: string; type: string; status: string; steps: unknown[]; createdAt: string }>> { return this.call("GET", "/operations"); }
  /** Moves the emulated clock forward and/or changes its speed. */
  clock(change: { advanceMs?: number; timeScale?: number }): Promise<{ now: string; timeScale: number }> { return this.call("POST", "/clock", change); }
}
