// SPDX-License-Identifier: Apache-2.0
import type { TransportResponse } from "./transport.js";

/**
 * Identical GETs of one offer that are in flight at the same time share one request.
 *
 * Why: an offer's Offer, VmPricing and OfferPublish each GET the same offer document when read;
 * when such reads overlap (a program calling the client concurrently, or the handlers reading
 * one offer's resources at once), one request serves them all. Under the Pulumi engine they
 * rarely overlap: a refresh reads resources in checkpoint order, where an offer's three
 * resources sit a third of the stack apart (all Offers, then all VmPricing, ...), so a
 * 100-offer refresh still sends one GET per resource (measured: 300, none shared).
 *
 * Why it cannot return something staler than a request of one's own would:
 * - only requests still in flight are shared, never a finished one (nothing is cached);
 * - a write to the offer from this client (PUT, publish, go-live, cancel) forgets the offer's
 *   shared reads when it starts and again when it ends, so a read that starts after a write
 *   of this process began or finished sends its own request;
 * - every caller gets its own copy of the response, so one caller's changes never reach another.
 *
 * What is left is the ordinary race with other writers, which a request of one's own has too
 * and the ETag checks on every write already guard against.
 */
export class SharedReads {
  /** Per offer scope, the GETs in flight by URL. */
  private readonly flights = new Map<string, Map<string, Promise<TransportResponse>>>();

  /** Sends `send()` for `url`, or joins the request for `url` already in flight in `scope`. */
  async read(scope: string, url: string, send: () => Promise<TransportResponse>): Promise<TransportResponse> {
    let urls = this.flights.get(scope);
    const pending = urls?.get(url);
    if (pending) return structuredClone(await pending);
    if (!urls) {
      urls = new Map();
      this.flights.set(scope, urls);
    }
    const flight = send();
    urls.set(url, flight);
    const done = () => {
      // Only this flight's own entry: a write may have replaced the scope's map meanwhile.
      const current = this.flights.get(scope);
      if (current?.get(url) === flight) {
        current.delete(url);
        if (current.size === 0) this.flights.delete(scope);
      }
    };
    flight.then(done, done);
    return structuredClone(await flight);
  }

  /** Runs a write to `scope`: reads started before it ends are no longer joined once it starts or ends. */
  async write<T>(scope: string, send: () => Promise<T>): Promise<T> {
    this.flights.delete(scope);
    try {
      return await send();
    } finally {
      this.flights.delete(scope);
    }
  }
}

/** The scope of an offer's reads and writes. */
export function offerScope(publisherId: string, offerId: string): string {
  return `${publisherId}\n${offerId}`;
}
