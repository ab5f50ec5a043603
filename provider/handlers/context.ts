// SPDX-License-Identifier: Apache-2.0
import { createHash } from "node:crypto";
import { CloudPartnerClient, type CredentialOptions, type OfferDocument, type WithETag } from "../client/index.js";
import { DEFAULT_JOB_POLL } from "../pia/jobs.js";
import { PiaClient } from "../pia/client.js";
import {
  accountNames,
  ConfigurationError,
  resolveAccountSettings,
  resolveSettings,
  type ApiName,
  type ProviderSettings,
} from "./settings.js";
import { ResourceError } from "./errors.js";

/** The part of Pulumi's ConfigureRequest the handlers use. */
export interface ConfigSource {
  config: { get(key: string): string | undefined };
}

// Module state, filled inside provider methods only (never captured when a provider is
// serialised): the stack config from configure(), and one client per account built from it.
let configGet: ((key: string) => string | undefined) | undefined;
/** Bumped by configure(): an entry of an older generation is checked against the new config on next use. */
let generation = 0;
interface Context {
  settings: ProviderSettings;
  client: CloudPartnerClient;
  /** Built on first use: most stacks use one API. */
  pia?: PiaClient;
  generation: number;
  fingerprint: string;
}
const cache = new Map<string, Context>();
/** Cache key of the stack's own credentials (account names cannot contain spaces). */
const DEFAULT_ACCOUNT = " default";

/**
 * Stores the stack config the engine hands to `configure()`; clients are built on first use.
 * The engine's Node host configures each resource type's provider once, all with the same
 * config, so a client whose settings the new config leaves unchanged is kept: the resources of
 * one process share its token and its reads.
 */
export function configure(req: ConfigSource): void {
  configGet = (key) => req.config.get(key);
  generation++;
}

/**
 * Drops every client and what it holds (token, kept reads), as the engine's next operation starts
 * a new provider process without them; tests that call the handlers in one process use it.
 */
export function dropClients(): void {
  cache.clear();
}

/**
 * Resolved settings (throws a ConfigurationError naming the keys to set). `account` names a
 * credential set of `cloudpartner:accounts`; undefined means the stack's default credentials.
 */
export function settings(account?: string): ProviderSettings {
  return context(account).settings;
}

/**
 * The process-wide CPP client of an account (built lazily, once per account and configuration).
 * An account whose `api` is `productIngestion` has none: a code path that reaches for the CPP
 * client there fails here, naming the setting, instead of writing through the other API.
 */
export function client(account?: string): CloudPartnerClient {
  const entry = context(account);
  if (entry.settings.api !== "cpp") throw new ResourceError(cppOnly(account), "CPP_API_UNSUPPORTED");
  return entry.client;
}

/** Why a CPP-only operation cannot run for an account on the Product Ingestion API, and the fix. */
function cppOnly(account?: string): string {
  const where =
    account === undefined ? "cloudpartner:api is" : `the api of account "${account}" (cloudpartner:accounts) is`;
  return (
    `${where} "productIngestion", and this operation works through the Cloud Partner Portal API only ` +
    "(docs/guides/product-ingestion.md says what each API supports); give it an account whose api is " +
    `"cpp" (pulumi config set --secret --path 'cloudpartner:accounts.<name>.api' cpp, with that account's ` +
    'credentials), or leave the offer on cloudpartner:api "cpp"'
  );
}

/** The API an account's resources use (`cloudpartner:api`, or the account entry's `api`). */
export function api(account?: string): ApiName {
  return context(account).settings.api;
}

/**
 * The API an account uses, or undefined before configure() or when its settings do not resolve
 * (the first request reports that): for check, which runs before any request.
 */
export function configuredApi(account?: string): ApiName | undefined {
  if (!configGet) return undefined;
  try {
    return api(account);
  } catch {
    return undefined;
  }
}

/** The process-wide Product Ingestion API client of an account (built lazily, as {@link client}). */
export function piaClient(account?: string): PiaClient {
  const entry = context(account);
  entry.pia ??= piaClientFor(entry.settings);
  return entry.pia;
}

/**
 * The offer document as the refresh (read) handlers get it, with every plan's pricing. A copy
 * this process received within `cloudpartner:readReuseSeconds` is reused unless the process has
 * written the offer since: a refresh reads each offer once, and its resources are refreshed
 * from that one document instead of one request each (shared-reads.ts says why that is safe).
 */
export function readOfferForRefresh(
  publisherId: string,
  offerId: string,
  account?: string,
): Promise<WithETag<OfferDocument>> {
  const { settings } = context(account);
  return client(account).getOffer(publisherId, offerId, {
    includeAllPricing: true,
    maxAgeMs: settings.readReuseSeconds * 1000,
  });
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

/** The clock clients built from now on age their kept reads by (tests move it; see {@link setReadClock}). */
let readClock: (() => number) | undefined;

/**
 * For tests that run the handlers in one process (as {@link dropClients}): the monotonic clock,
 * in milliseconds, by which the clients built afterwards age the offer reads a refresh keeps
 * (`cloudpartner:readReuseSeconds`). Undefined restores `performance.now`.
 */
export function setReadClock(now: (() => number) | undefined): void {
  readClock = now;
}

/** Builds the client of resolved settings: used by the provider and by program-side lookups. */
export function clientFor(s: ProviderSettings): CloudPartnerClient {
  return new CloudPartnerClient({
    credential: credentialOf(s),
    endpoint: s.endpoint,
    timeoutInMs: s.httpTimeoutSeconds * 1000,
    retry: { maxRetries: s.maxRetries, retryDelayInMs: s.retryDelayMs },
    ...(readClock ? { now: readClock } : {}),
  });
}

/**
 * Builds the Product Ingestion API client of resolved settings. Draft jobs are polled no slower
 * than the stack's `pollMinIntervalSeconds`/`pollMaxIntervalSeconds` ask.
 */
export function piaClientFor(s: ProviderSettings): PiaClient {
  const draft = DEFAULT_JOB_POLL.draft;
  return new PiaClient({
    credential: credentialOf(s),
    ...(s.productIngestionEndpoint ? { endpoint: s.productIngestionEndpoint } : {}),
    timeoutInMs: s.httpTimeoutSeconds * 1000,
    retry: { maxRetries: s.maxRetries, retryDelayInMs: s.retryDelayMs },
    jobPoll: {
      draft: {
        minIntervalInMs: Math.min(draft.minIntervalInMs, s.pollMinIntervalSeconds * 1000),
        maxIntervalInMs: Math.min(draft.maxIntervalInMs, s.pollMaxIntervalSeconds * 1000),
      },
    },
  });
}

/** The credential of resolved settings: a secret, else a certificate, else a federated token file. */
function credentialOf(s: ProviderSettings): CredentialOptions {
  const base = { tenantId: s.tenantId, clientId: s.clientId, authority: s.authority };
  if (s.clientSecret) return { ...base, clientSecret: s.clientSecret };
  if (s.certificate) return { ...base, certificate: s.certificate };
  return { ...base, federatedTokenFile: s.federatedTokenFile! };
}

/** Settings of an account (or the default credentials) from a config getter and the environment. */
export function resolveFor(get: (key: string) => string | undefined, account?: string): ProviderSettings {
  return account === undefined ? resolveSettings(get, process.env) : resolveAccountSettings(account, get, process.env);
}

function context(account?: string): Context {
  const key = account ?? DEFAULT_ACCOUNT;
  let entry = cache.get(key);
  if (entry?.generation === generation) return entry;
  const s = resolveFor(configGet ?? (() => undefined), account);
  // A digest, so that the cache holds no second copy of the credentials.
  const fingerprint = createHash("sha256").update(JSON.stringify(s)).digest("hex");
  if (entry?.fingerprint === fingerprint) {
    entry.generation = generation;
    return entry;
  }
  entry = { settings: s, client: clientFor(s), generation, fingerprint };
  cache.set(key, entry);
  return entry;
}
