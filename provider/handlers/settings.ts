// SPDX-License-Identifier: Apache-2.0
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";

/** Stack configuration namespace of this package: `cloudpartner:<key>`. */
export const CONFIG_NAMESPACE = "cloudpartner";

/** Everything the resources need to reach the service, resolved from config and environment. */
export interface ProviderSettings {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  certificate?: { privateKeyPem: string; thumbprint?: string; thumbprintSha256?: string; x5c?: string };
  /** Workload identity federation: path of the token file, read on every token request. */
  federatedTokenFile?: string;
  /** The named credential set of `cloudpartner:accounts` (undefined: the stack's own). */
  account?: string;
  /** Which Microsoft API the resources use: the Cloud Partner Portal's or the Product Ingestion API. */
  api: ApiName;
  endpoint?: string;
  /** Base URL of the Product Ingestion API (undefined: Microsoft Graph's). */
  productIngestionEndpoint?: string;
  authority?: string;
  /** Default deadline of a publish or go-live wait, in seconds. */
  operationTimeoutSeconds: number;
  pollMinIntervalSeconds: number;
  pollMaxIntervalSeconds: number;
  /** Whether the stack sets a poll interval (else Product Ingestion API submissions keep the client's pace). */
  pollIntervalsConfigured: boolean;
  /** Timeout of one HTTP attempt, in seconds. */
  httpTimeoutSeconds: number;
  /** Retries of an idempotent request (GET, PUT) on throttling, 5xx and network errors. */
  maxRetries: number;
  /** Base delay of the retry backoff, in milliseconds. */
  retryDelayMs: number;
  /**
   * How old a copy of an offer document a refresh may reuse for the offer's other resources, in
   * seconds (0: every resource reads for itself).
   */
  readReuseSeconds: number;
}

/**
 * The API a stack (or an account) uses: `cpp`, the Cloud Partner Portal API 2017-10-31, or
 * `productIngestion`, Partner Center's Product Ingestion API.
 */
export type ApiName = "cpp" | "productIngestion";

/** The values `cloudpartner:api` takes. */
export const API_NAMES: readonly ApiName[] = ["cpp", "productIngestion"];

/** A configuration problem, naming the config key (and env variable) that fixes it. */
export class ConfigurationError extends Error {
  readonly code = "CPP_CONFIGURATION";
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

const DEFAULTS = {
  operationTimeoutSeconds: 3600,
  pollMinIntervalSeconds: 5,
  pollMaxIntervalSeconds: 600,
  httpTimeoutSeconds: 60,
  maxRetries: 4,
  retryDelayMs: 1000,
  readReuseSeconds: 300,
};

/**
 * Resolves settings from stack config (`cloudpartner:*`, via `get`) with the Azure SDK's
 * environment variables as fallbacks. Throws a ConfigurationError listing every missing key.
 */
export function resolveSettings(get: (key: string) => string | undefined, env: NodeJS.ProcessEnv): ProviderSettings {
  const cfg = (key: string) => nonEmpty(get(`${CONFIG_NAMESPACE}:${key}`));
  const cred = resolveCredential(cfg, env, {
    set: (key, what, secret) => `pulumi config set${secret ? " --secret" : ""} ${CONFIG_NAMESPACE}:${key} ${what}`,
    name: (key) => `${CONFIG_NAMESPACE}:${key}`,
    env: true,
  });
  return { ...resolveBase(get, env), ...cred };
}

/** The stack config key of the named credential sets. */
export const ACCOUNTS_KEY = `${CONFIG_NAMESPACE}:accounts`;

/** The keys an entry of `cloudpartner:accounts` may hold. */
const ACCOUNT_KEYS = new Set([
  "tenantId",
  "clientId",
  "clientSecret",
  "clientCertificatePem",
  "clientCertificatePath",
  "clientCertificateThumbprint",
  "clientCertificateThumbprintSha256",
  "federatedTokenFile",
  "endpoint",
  "authority",
  "api",
  "productIngestionEndpoint",
]);

/** True for a usable account name: letters, digits, '.', '_' and '-'. */
export function isAccountName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name);
}

/**
 * The account names of `cloudpartner:accounts`, or undefined when it is not set. Throws a
 * ConfigurationError when it is not a JSON object (never quoting its text: it holds secrets).
 */
export function accountNames(get: (key: string) => string | undefined): string[] | undefined {
  const accounts = parseAccounts(get);
  return accounts ? Object.keys(accounts) : undefined;
}

/**
 * Settings of a named account: its credential (and endpoint/authority, defaulting to the stack's)
 * from `cloudpartner:accounts`, everything else from the stack config. Credentials of an account
 * come only from its entry, never from the environment, so one account cannot silently borrow
 * another's. An unknown name is a ConfigurationError naming the config key.
 */
export function resolveAccountSettings(
  account: string,
  get: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv,
): ProviderSettings {
  const accounts = parseAccounts(get);
  const fix =
    `pulumi config set --secret --path '${ACCOUNTS_KEY}.${account}.clientSecret' <secret>` +
    "  (with tenantId and clientId likewise)";
  if (!accounts) {
    throw new ConfigurationError(
      `cloudpartner: account "${account}" is selected, but ${ACCOUNTS_KEY} is not set. ` +
        `Add the account's credentials: ${fix}`,
    );
  }
  const entry = accounts[account];
  if (entry === undefined) {
    const known = Object.keys(accounts);
    const listed = known.length > 0 ? `configured: ${known.join(", ")}` : "it is empty";
    throw new ConfigurationError(
      `cloudpartner: account "${account}" is not in ${ACCOUNTS_KEY} (${listed}); ` +
        `fix the resource's account input, or add the account: ${fix}`,
    );
  }
  const at = (key: string) => `${ACCOUNTS_KEY}.${account}.${key}`;
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new ConfigurationError(
      `cloudpartner: ${ACCOUNTS_KEY}.${account} must be an object ` +
        "{ tenantId, clientId, clientSecret | clientCertificatePath | federatedTokenFile }",
    );
  }
  const fields = entry as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (!ACCOUNT_KEYS.has(key)) {
      throw new ConfigurationError(
        `cloudpartner: ${at(key)} is not a setting of an account; use ${[...ACCOUNT_KEYS].join(", ")}`,
      );
    }
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw new ConfigurationError(`cloudpartner: ${at(key)} must be a string`);
    }
  }
  const cfg = (key: string) => nonEmpty(typeof fields[key] === "string" ? (fields[key] as string) : undefined);
  const base = resolveBase(get, env);
  const cred = resolveCredential(
    cfg,
    {},
    {
      set: (key, what, secret) => `pulumi config set${secret ? " --secret" : ""} --path '${at(key)}' ${what}`,
      name: at,
      env: false,
    },
  );
  const endpoint = cfg("endpoint") ?? base.endpoint;
  const api = cfg("api") === undefined ? base.api : apiName(cfg("api"), at("api"));
  return {
    ...base,
    ...cred,
    account,
    api,
    endpoint,
    productIngestionEndpoint: cfg("productIngestionEndpoint") ?? base.productIngestionEndpoint,
    authority: cfg("authority") ?? base.authority,
  };
}

/** The stack-wide settings that are not credentials (timeouts, retries, endpoint, authority). */
function resolveBase(
  get: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv,
): Omit<ProviderSettings, "tenantId" | "clientId"> {
  const cfg = (key: string) => nonEmpty(get(`${CONFIG_NAMESPACE}:${key}`));
  return {
    api: apiName(cfg("api") ?? nonEmpty(env.CLOUDPARTNER_API), `${CONFIG_NAMESPACE}:api`),
    endpoint: cfg("endpoint") ?? nonEmpty(env.CLOUDPARTNER_ENDPOINT),
    productIngestionEndpoint: cfg("productIngestionEndpoint") ?? nonEmpty(env.CLOUDPARTNER_PRODUCT_INGESTION_ENDPOINT),
    authority: cfg("authority") ?? nonEmpty(env.AZURE_AUTHORITY_HOST),
    operationTimeoutSeconds: seconds(cfg, "operationTimeoutSeconds", DEFAULTS.operationTimeoutSeconds),
    pollMinIntervalSeconds: seconds(cfg, "pollMinIntervalSeconds", DEFAULTS.pollMinIntervalSeconds),
    pollMaxIntervalSeconds: seconds(cfg, "pollMaxIntervalSeconds", DEFAULTS.pollMaxIntervalSeconds),
    pollIntervalsConfigured: cfg("pollMinIntervalSeconds") !== undefined || cfg("pollMaxIntervalSeconds") !== undefined,
    httpTimeoutSeconds: seconds(cfg, "httpTimeoutSeconds", DEFAULTS.httpTimeoutSeconds),
    maxRetries: count(cfg, "maxRetries", DEFAULTS.maxRetries),
    retryDelayMs: seconds(cfg, "retryDelayMs", DEFAULTS.retryDelayMs),
    readReuseSeconds: seconds(cfg, "readReuseSeconds", DEFAULTS.readReuseSeconds, { zero: true }),
  };
}

/** The API a config value names (`cpp` when unset); anything else is a ConfigurationError naming `key`. */
function apiName(raw: string | undefined, key: string): ApiName {
  if (raw === undefined) return "cpp";
  const found = API_NAMES.find((n) => n.toLowerCase() === raw.toLowerCase());
  if (found) return found;
  throw new ConfigurationError(
    `cloudpartner: ${key} must be "cpp" (the Cloud Partner Portal API) or "productIngestion" (the Product Ingestion API); got "${raw}"`,
  );
}

function parseAccounts(get: (key: string) => string | undefined): Record<string, unknown> | undefined {
  const raw = nonEmpty(get(ACCOUNTS_KEY));
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the text around the error, which may be a secret.
    throw new ConfigurationError(
      `cloudpartner: ${ACCOUNTS_KEY} is not valid JSON; set it to an object of accounts, e.g. ` +
        `pulumi config set --secret ${ACCOUNTS_KEY} '{"team-a":{"tenantId":"…","clientId":"…","clientSecret":"…"}}'`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigurationError(
      `cloudpartner: ${ACCOUNTS_KEY} must be a JSON object of accounts ` +
        '{ "<name>": { tenantId, clientId, clientSecret | clientCertificatePath | federatedTokenFile } }',
    );
  }
  for (const name of Object.keys(value)) {
    if (!isAccountName(name)) {
      throw new ConfigurationError(
        `cloudpartner: "${name}" in ${ACCOUNTS_KEY} is not a usable account name (letters, digits, '.', '_', '-')`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** How messages name a setting: the command that sets it, and its name. */
interface KeyNames {
  set(key: string, what: string, secret: boolean): string;
  name(key: string): string;
  /** Whether the Azure SDK environment variables are fallbacks (not for named accounts). */
  env: boolean;
}

/**
 * One credential: a client secret, else a client certificate, else a federated token file,
 * each from its key and then its Azure SDK environment variable. Throws a ConfigurationError
 * listing every missing key.
 */
function resolveCredential(
  cfg: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv,
  keys: KeyNames,
): Pick<ProviderSettings, "tenantId" | "clientId" | "clientSecret" | "certificate" | "federatedTokenFile"> {
  const missing: string[] = [];
  const orEnv = (name: string) => (keys.env ? `   (or ${name})` : "");
  const tenantId = cfg("tenantId") ?? nonEmpty(env.AZURE_TENANT_ID);
  const clientId = cfg("clientId") ?? nonEmpty(env.AZURE_CLIENT_ID);
  if (!tenantId) missing.push(`${keys.set("tenantId", "<directory id>", false)}${orEnv("AZURE_TENANT_ID")}`);
  if (!clientId) missing.push(`${keys.set("clientId", "<application id>", false)}${orEnv("AZURE_CLIENT_ID")}`);
  const clientSecret = cfg("clientSecret") ?? nonEmpty(env.AZURE_CLIENT_SECRET);
  const certificate = clientSecret ? undefined : readCertificate(cfg, env, keys);
  const federatedTokenFile =
    clientSecret || certificate ? undefined : (cfg("federatedTokenFile") ?? nonEmpty(env.AZURE_FEDERATED_TOKEN_FILE));
  if (federatedTokenFile) {
    try {
      if (!statSync(federatedTokenFile).isFile()) throw Object.assign(new Error("not a file"), { code: "not a file" });
    } catch (e) {
      const key = `${keys.name("federatedTokenFile")}${keys.env ? " (or AZURE_FEDERATED_TOKEN_FILE)" : ""}`;
      throw new ConfigurationError(
        `cloudpartner: cannot read the federated token file ${federatedTokenFile} ` +
          `(${(e as NodeJS.ErrnoException).code}); fix ${key}, or run the pipeline step that writes the token first`,
      );
    }
  }
  if (!clientSecret && !certificate && !federatedTokenFile) {
    const alternatives = [keys.name("clientCertificatePath"), keys.name("federatedTokenFile")].join(" or ");
    const altEnv = keys.env ? " (or AZURE_CLIENT_CERTIFICATE_PATH / AZURE_FEDERATED_TOKEN_FILE)" : "";
    missing.push(
      `${keys.set("clientSecret", "<secret>", true)}${orEnv("AZURE_CLIENT_SECRET")}; or ${alternatives}${altEnv}`,
    );
  }
  if (missing.length > 0 || !tenantId || !clientId) {
    throw new ConfigurationError(
      `cloudpartner: credentials for the Cloud Partner Portal are not configured. Set:\n  ${missing.join("\n  ")}`,
    );
  }
  return {
    tenantId,
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    ...(certificate ? { certificate } : {}),
    ...(federatedTokenFile ? { federatedTokenFile } : {}),
  };
}

function readCertificate(
  cfg: (k: string) => string | undefined,
  env: NodeJS.ProcessEnv,
  keys: KeyNames,
): ProviderSettings["certificate"] {
  const path = cfg("clientCertificatePath") ?? nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PATH);
  let pem = cfg("clientCertificatePem");
  if (!pem && path) {
    try {
      pem = readFileSync(path, "utf8");
    } catch (e) {
      throw new ConfigurationError(
        `cloudpartner: cannot read the client certificate at ${path} (${(e as NodeJS.ErrnoException).code}); fix ${keys.name("clientCertificatePath")}`,
      );
    }
  }
  if (!pem) return undefined;
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!key)
    throw new ConfigurationError(
      `cloudpartner: the client certificate PEM holds no private key; it must contain the private key and the certificate`,
    );
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  let thumbprint = cfg("clientCertificateThumbprint");
  let thumbprintSha256 = cfg("clientCertificateThumbprintSha256");
  let x5c: string | undefined;
  if (certPem) {
    const cert = new X509Certificate(certPem);
    thumbprint ??= cert.fingerprint.replace(/:/g, "");
    thumbprintSha256 ??= cert.fingerprint256.replace(/:/g, "");
    x5c = certPem;
  }
  if (!thumbprint && !thumbprintSha256) {
    throw new ConfigurationError(
      `cloudpartner: the client certificate PEM has no certificate to take a thumbprint from; add it, or set ${keys.name("clientCertificateThumbprint")}`,
    );
  }
  return {
    privateKeyPem: key,
    ...(thumbprint ? { thumbprint } : {}),
    ...(thumbprintSha256 ? { thumbprintSha256 } : {}),
    ...(x5c ? { x5c } : {}),
  };
}

function seconds(
  cfg: (k: string) => string | undefined,
  key: string,
  fallback: number,
  o: { zero?: boolean } = {},
): number {
  const raw = cfg(key);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !o.zero)) {
    throw new ConfigurationError(
      `cloudpartner: ${CONFIG_NAMESPACE}:${key} must be a ${o.zero ? "number of seconds ≥ 0" : "positive number of seconds"}; got "${raw}"`,
    );
  }
  return n;
}

function count(cfg: (k: string) => string | undefined, key: string, fallback: number): number {
  const raw = cfg(key);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigurationError(`cloudpartner: ${CONFIG_NAMESPACE}:${key} must be a whole number ≥ 0; got "${raw}"`);
  return n;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
