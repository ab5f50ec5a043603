// SPDX-License-Identifier: Apache-2.0
import { CloudPartnerClient } from "../client/index.js";
import { ConfigurationError, resolveSettings, type ProviderSettings } from "./settings.js";

/** The part of Pulumi's ConfigureRequest the handlers use. */
export interface ConfigSource {
  config: { get(key: string): string | undefined };
}

// Module state, filled inside provider methods only (never captured when a provider is
// serialised): the stack config from configure(), and the one client built from it.
let configGet: ((key: string) => string | undefined) | undefined;
let cached: { settings: ProviderSettings; client: CloudPartnerClient } | undefined;

/** Stores the stack config the engine hands to `configure()`; the client is built on first use. */
export function configure(req: ConfigSource): void {
  configGet = (key) => req.config.get(key);
  cached = undefined;
}

/**
 * Resolved settings (throws a ConfigurationError naming the keys to set). `account` names a
 * credential set of `cloudpartner:accounts`; undefined means the stack's default credentials.
 */
export function settings(account?: string): ProviderSettings {
  return context(account).settings;
}

/** The process-wide client for the configured credential (built lazily, once per account). */
export function client(account?: string): CloudPartnerClient {
  return context(account).client;
}

function context(account?: string): { settings: ProviderSettings; client: CloudPartnerClient } {
  if (account !== undefined) {
    throw new ConfigurationError(`cloudpartner: account "${account}" is not configured; named accounts (cloudpartner:accounts) are not supported by this version`);
  }
  if (!cached) {
    const s = resolveSettings(configGet ?? (() => undefined), process.env);
    cached = { settings: s, client: clientFor(s) };
  }
  return cached;
}

/** Builds the client of resolved settings: used by the provider and by `cloudpartner-export`. */
export function clientFor(s: ProviderSettings): CloudPartnerClient {
  const credential = s.clientSecret
    ? { tenantId: s.tenantId, clientId: s.clientId, clientSecret: s.clientSecret, authority: s.authority }
    : { tenantId: s.tenantId, clientId: s.clientId, certificate: s.certificate!, authority: s.authority };
  return new CloudPartnerClient({
    credential,
    endpoint: s.endpoint,
    timeoutInMs: s.httpTimeoutSeconds * 1000,
    retry: { maxRetries: s.maxRetries, retryDelayInMs: s.retryDelayMs },
  });
}
