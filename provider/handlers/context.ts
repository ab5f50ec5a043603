// SPDX-License-Identifier: Apache-2.0
import { CloudPartnerClient, type CredentialOptions } from "../client/index.js";
import {
  accountNames,
  ConfigurationError,
  resolveAccountSettings,
  resolveSettings,
  type ProviderSettings,
} from "./settings.js";

/** The part of Pulumi's ConfigureRequest the handlers use. */
export interface ConfigSource {
  config: { get(key: string): string | undefined };
}

// Module state, filled inside provider methods only (never captured when a provider is
// serialised): the stack config from configure(), and one client per account built from it.
let configGet: ((key: string) => string | undefined) | undefined;
const cache = new Map<string, { settings: ProviderSettings; client: CloudPartnerClient }>();
/** Cache key of the stack's own credentials (account names cannot contain spaces). */
const DEFAULT_ACCOUNT = " default";

/** Stores the stack config the engine hands to `configure()`; clients are built on first use. */
export function configure(req: ConfigSource): void {
  configGet = (key) => req.config.get(key);
  cache.clear();
}

/**
 * Resolved settings (throws a ConfigurationError naming the keys to set). `account` names a
 * credential set of `cloudpartner:accounts`; undefined means the stack's default credentials.
 */
export function settings(account?: string): ProviderSettings {
  return context(account).settings;
}

/** The process-wide client of an account (built lazily, once per account and configuration). */
export function client(account?: string): CloudPartnerClient {
  return context(account).client;
}

/**
 * Why an `account` input cannot work with the configured accounts, or undefined. Used by check,
 * so a misspelt name fails at preview, before any request; without configure() (no config
 * known yet) nothing is judged here and the first use reports it.
 */
export function accountProblem(account: string): string | undefined {
  if (!configGet) return undefined;
  try {
    const names = accountNames(configGet);
    if (!names) {
      return (
        `account "${account}" is selected, but cloudpartner:accounts is not set; add the account's credentials with ` +
        `pulumi config set --secret --path 'cloudpartner:accounts.${account}.clientSecret' <secret> ` +
        "(and its tenantId and clientId), or remove the account input"
      );
    }
    if (!names.includes(account)) {
      return (
        `account "${account}" is not in cloudpartner:accounts (configured: ${names.join(", ") || "none"}); ` +
        "fix the account name or add the account to cloudpartner:accounts"
      );
    }
    return undefined;
  } catch (e) {
    return e instanceof ConfigurationError ? e.message : String(e);
  }
}

/** Builds the client of resolved settings: used by the provider and by program-side lookups. */
export function clientFor(s: ProviderSettings): CloudPartnerClient {
  const base = { tenantId: s.tenantId, clientId: s.clientId, authority: s.authority };
  const credential: CredentialOptions = s.clientSecret
    ? { ...base, clientSecret: s.clientSecret }
    : s.certificate
      ? { ...base, certificate: s.certificate }
      : { ...base, federatedTokenFile: s.federatedTokenFile! };
  return new CloudPartnerClient({
    credential,
    endpoint: s.endpoint,
    timeoutInMs: s.httpTimeoutSeconds * 1000,
    retry: { maxRetries: s.maxRetries, retryDelayInMs: s.retryDelayMs },
  });
}

/** Settings of an account (or the default credentials) from a config getter and the environment. */
export function resolveFor(get: (key: string) => string | undefined, account?: string): ProviderSettings {
  return account === undefined ? resolveSettings(get, process.env) : resolveAccountSettings(account, get, process.env);
}

function context(account?: string): { settings: ProviderSettings; client: CloudPartnerClient } {
  const key = account ?? DEFAULT_ACCOUNT;
  let entry = cache.get(key);
  if (!entry) {
    const s = resolveFor(configGet ?? (() => undefined), account);
    entry = { settings: s, client: clientFor(s) };
    cache.set(key, entry);
  }
  return entry;
}
