// SPDX-License-Identifier: Apache-2.0
import { CloudPartnerError } from "../client/errors.js";
import { assertSecureUrl } from "../client/url-policy.js";

/** The public endpoint of the Product Ingestion API (a path on Microsoft Graph, docs/internals/api-notes.md §P1). */
export const PIA_ENDPOINT = "https://graph.microsoft.com/rp/product-ingestion";

/** The token scope of the Product Ingestion API in the public cloud (audience `https://graph.microsoft.com`). */
export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/**
 * Microsoft Graph hosts of the national clouds, each of which issues tokens for its own audience:
 * US Government L4, US Government L5 (DoD) and China (21Vianet).
 */
export const SOVEREIGN_GRAPH_HOSTS: readonly string[] = [
  "graph.microsoft.us",
  "dod-graph.microsoft.us",
  "microsoftgraph.chinacloudapi.cn",
];

/**
 * The token scope for an endpoint: the Graph host of a national cloud gives its own
 * (`https://<host>/.default`); any other host, the public Graph host, the emulator or a proxy,
 * gives {@link GRAPH_SCOPE}. Pure.
 */
export function graphScopeFor(endpoint: string): string {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return GRAPH_SCOPE;
  }
  return SOVEREIGN_GRAPH_HOSTS.includes(host) ? `https://${host}/.default` : GRAPH_SCOPE;
}

/**
 * The endpoint as the client uses it: https (plain http only on loopback), no query or
 * fragment, no trailing slash. Keeps the path: the API lives under `/rp/product-ingestion`.
 * Throws CPP_CONFIGURATION. Pure.
 */
export function normalizeEndpoint(endpoint: string): string {
  const url = assertSecureUrl(endpoint, "endpoint");
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new CloudPartnerError(
      "CPP_CONFIGURATION",
      `the Product Ingestion API endpoint "${url.origin}${url.pathname}" must be a plain URL (no credentials, query or fragment), e.g. ${PIA_ENDPOINT}`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
