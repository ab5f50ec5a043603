// SPDX-License-Identifier: Apache-2.0
import { createTokenProvider, type CredentialOptions, type TokenProvider } from "../client/auth.js";
import { GRAPH_SCOPE } from "./scope.js";

/**
 * The process-wide token provider of a credential for the Product Ingestion API: tokens for
 * `scope`, by default `https://graph.microsoft.com/.default` (a national cloud's Graph host has
 * its own, see {@link graphScopeFor}). Pass it as a {@link PiaClient}'s `credential` to share one
 * token between clients.
 */
export function createPiaTokenProvider(credential: CredentialOptions, scope: string = GRAPH_SCOPE): TokenProvider {
  return createTokenProvider(credential, scope);
}
