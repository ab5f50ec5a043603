// SPDX-License-Identifier: Apache-2.0
import { CloudPartnerError } from "../client/errors.js";
import { hasQueryParam, VERSION_PARAM, withQueryParam } from "./urls.js";

/**
 * True when `url` is on the endpoint: the same origin (scheme, host and port), no user info,
 * and a path at or below the endpoint's path (after resolving `.` and `..`). The only URLs the
 * client sends its token to. Pure.
 */
export function isWithinEndpoint(url: string, endpoint: string): boolean {
  let u: URL;
  let base: URL;
  try {
    u = new URL(url);
    base = new URL(endpoint);
  } catch {
    return false;
  }
  if (u.origin !== base.origin || u.username !== "" || u.password !== "") return false;
  const basePath = base.pathname.replace(/\/+$/, "");
  return basePath === "" || u.pathname === basePath || u.pathname.startsWith(`${basePath}/`);
}

/**
 * The URL of a `@nextLink`: a relative link is resolved against the endpoint (`<endpoint>/`),
 * `$version` is added when the link lacks it. A link off the endpoint (another origin, or
 * outside its path) is refused with CPP_CONFIGURATION: the token is never sent elsewhere. Pure.
 */
export function resolveNextLink(link: string, endpoint: string, version: string): string {
  let resolved: string;
  try {
    resolved = new URL(link, `${endpoint.replace(/\/+$/, "")}/`).toString();
  } catch {
    throw new CloudPartnerError("CPP_INVALID_RESPONSE", `the service sent a @nextLink that is not a URL ("${link}")`);
  }
  if (!isWithinEndpoint(resolved, endpoint)) {
    const u = new URL(resolved);
    const fix =
      "if the endpoint is a proxy or a gateway, make it rewrite the service's links to itself; otherwise set the endpoint to the one the service links to";
    throw new CloudPartnerError(
      "CPP_CONFIGURATION",
      `refusing to send the token to ${u.origin}${u.pathname}: the service's @nextLink is not on the endpoint ${endpoint}. Fix: ${fix}`,
      { fix, url: resolved },
    );
  }
  return hasQueryParam(resolved, VERSION_PARAM) ? resolved : withQueryParam(resolved, VERSION_PARAM, version);
}

/**
 * The URL of the page after `page`, fetched from `currentUrl`: its `@nextLink` (checked by
 * {@link resolveNextLink}), else its `continuationToken` set on `currentUrl`, else undefined
 * (the last page). Pure.
 */
export function nextPageUrl(page: unknown, currentUrl: string, endpoint: string, version: string): string | undefined {
  if (typeof page !== "object" || page === null) return undefined;
  const p = page as { "@nextLink"?: unknown; continuationToken?: unknown };
  if (typeof p["@nextLink"] === "string" && p["@nextLink"] !== "") {
    return resolveNextLink(p["@nextLink"], endpoint, version);
  }
  if (typeof p.continuationToken === "string" && p.continuationToken !== "") {
    return withQueryParam(currentUrl, "continuationToken", p.continuationToken);
  }
  return undefined;
}
