// SPDX-License-Identifier: Apache-2.0
import type { TransportResponse } from "./transport.js";

/**
 * Identical GETs of one offer that are in flight at the same time share one request, and a
 * caller that accepts an answer of a given age may get a copy of one received since.
 *
 * Why: an offer's Offer, VmPricing, VmImageVersion and OfferPublish each GET the same offer
 * document when read. When such reads overlap (a program calling the client concurrently, or
 * the handlers reading one offer's resources at once), one request serves them all. Under the
 * Pulumi engine they rarely overlap: a refresh reads resources in checkpoint order, where an
 * offer's resources sit far apart (all Offers, then all VmPricing, ...). So the refresh handlers
 * also pass `maxAgeMs`: the first read of an offer in a refresh is kept, and the offer's other
 * resources are refreshed from that copy (one request per offer, not one per resource).
 *
 * Why it cannot return something staler than the caller allows:
 * - a request in flight is joined only while it is in flight; a finished one is reused only by
 *   a caller that passes `maxAgeMs`, and only within that age, counted from when its request
 *   was sent;
 * - a write to the offer from this client (PUT, publish, go-live, cancel) forgets the offer's
 *   shared and kept reads when it starts and again when it ends, so a read that starts after a
 *   write of this process began or finished sends its own request, and a response to a request
 *   that raced a write is never kept;
 * - every caller gets its own copy of the response, so one caller's changes never reach another.
 *
 * What is left is the ordinary race with other writers, which a request of one's own has too
 * and the ETag checks on every write already guard against.
 */
export class SharedReads {
  /** Per offer scope, the GETs in flight by URL. */
  private readonly flights = new Map<string, Map<string, Promise<TransportResponse>>>();
  /** Per offer scope, responses kept for callers that accept an age, by URL, with when their request was sent. */
  private readonly kept = new Map<string, Map<string, { sentAt: number; response: TransportResponse }>>();

  /** @param now - A monotonic clock in milliseconds (tests pass their own). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Sends `send()` for `url`, or joins the request for `url` already in flight in `scope`. With
   * `maxAgeMs`, a response to a request sent at most that long ago is reused if this client has
   * not written the offer since, and this read's own response is kept for such callers.
   */
  async read(
    scope: string,
    url: string,
    send: () => Promise<TransportResponse>,
    maxAgeMs = 0,
  ): Promise<TransportResponse> {
    const copy = maxAgeMs > 0 ? this.copyOf(scope, url, maxAgeMs) : undefined;
    if (copy) return structuredClone(copy);
    const pending = this.flights.get(scope)?.get(url);
    if (pending) return structuredClone(await pending);
    const sentAt = this.now();
    const flight = send();
    let urls = this.flights.get(scope);
    if (!urls) {
      urls = new Map();
      this.flights.set(scope, urls);
    }
    urls.set(url, flight);
    const settle = (response?: TransportResponse) => {
      // Only while this flight is still the scope's own: a write may have replaced the map
      // meanwhile, and then the response may predate the write.
      if (this.flights.get(scope)?.get(url) !== flight) return;
      if (response && maxAgeMs > 0) this.keep(scope, url, sentAt, response);
      urls.delete(url);
      if (urls.size === 0) this.flights.delete(scope);
    };
    flight.then(settle, () => settle());
    return structuredClone(await flight);
  }

  /** Runs a write to `scope`: reads started before it ends are no longer joined or reused once it starts or ends. */
  async write<T>(scope: string, send: () => Promise<T>): Promise<T> {
    this.forget(scope);
    try {
      return await send();
    } finally {
      this.forget(scope);
    }
  }

  /** The kept response for `url` if sent at most `maxAgeMs` ago; an older one is dropped. */
  private copyOf(scope: string, url: string, maxAgeMs: number): TransportResponse | undefined {
    const copies = this.kept.get(scope);
    const copy = copies?.get(url);
    if (!copies || !copy) return undefined;
    if (this.now() - copy.sentAt <= maxAgeMs) return copy.response;
    copies.delete(url);
    if (copies.size === 0) this.kept.delete(scope);
    return undefined;
  }

  private keep(scope: string, url: string, sentAt: number, response: TransportResponse): void {
    let copies = this.kept.get(scope);
    if (!copies) {
      copies = new Map();
      this.kept.set(scope, copies);
    }
    copies.set(url, { sentAt, response: structuredClone(response) });
  }

  private forget(scope: string): void {
    this.flights.delete(scope);
    this.kept.delete(scope);
  }
}

/** The scope of an offer's reads and writes. */
export function offerScope(publisherId: string, offerId: string): string {
  return `${publisherId}\n${offerId}`;
}
