// SPDX-License-Identifier: Apache-2.0
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";

/** Stack configuration namespace of this package: `cloudpartner:<key>`. */
export const CONFIG_NAMESPACE = "cloudpartner";

/** Everything the resources need to reach the service, resolved from config and environment. */
export interface ProviderSettings {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  certificate?: { privateKeyPem: string; thumbprint?: string; thumbprintSha256?: string; x5c?: string };
  endpoint?: string;
  authority?: string;
  /** Default deadline of a publish or go-live wait, in seconds. */
  operationTimeoutSeconds: number;
  pollMinIntervalSeconds: number;
  pollMaxIntervalSeconds: number;
  /** Timeout of one HTTP attempt, in seconds. */
  httpTimeoutSeconds: number;
  /** Retries of an idempotent request (GET, PUT) on throttling, 5xx and network errors. */
  maxRetries: number;
  /** Base delay of the retry backoff, in milliseconds. */
  retryDelayMs: number;
}

/** A configuration problem, naming the config key (and env variable) that fixes it. */
export class ConfigurationError extends Error {
  readonly code = "CPP_CONFIGURATION";
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

const DEFAULTS = { operationTimeoutSeconds: 3600, pollMinIntervalSeconds: 5, pollMaxIntervalSeconds: 600, httpTimeoutSeconds: 60, maxRetries: 4, retryDelayMs: 1000 };

/**
 * Resolves settings from stack config (`cloudpartner:*`, via `get`) with the Azure SDK's
 * environment variables as fallbacks. Throws a ConfigurationError listing every missing key.
 */
export function resolveSettings(get: (key: string) => string | undefined, env: NodeJS.ProcessEnv): ProviderSettings {
  const cfg = (key: string) => nonEmpty(get(`${CONFIG_NAMESPACE}:${key}`));
  const missing: string[] = [];
  const tenantId = cfg("tenantId") ?? nonEmpty(env.AZURE_TENANT_ID);
  const clientId = cfg("clientId") ?? nonEmpty(env.AZURE_CLIENT_ID);
  if (!tenantId) missing.push(`pulumi config set ${CONFIG_NAMESPACE}:tenantId <directory id>   (or AZURE_TENANT_ID)`);
  if (!clientId) missing.push(`pulumi config set ${CONFIG_NAMESPACE}:clientId <application id>   (or AZURE_CLIENT_ID)`);
  const clientSecret = cfg("clientSecret") ?? nonEmpty(env.AZURE_CLIENT_SECRET);
  const certificate = clientSecret ? undefined : readCertificate(cfg, env);
  if (!clientSecret && !certificate) {
    missing.push(`pulumi config set --secret ${CONFIG_NAMESPACE}:clientSecret <secret>   (or AZURE_CLIENT_SECRET; or ${CONFIG_NAMESPACE}:clientCertificatePath / AZURE_CLIENT_CERTIFICATE_PATH)`);
  }
  if (missing.length > 0 || !tenantId || !clientId) {
    throw new ConfigurationError(`cloudpartner: credentials for the Cloud Partner Portal are not configured. Set:\n  ${missing.join("\n  ")}`);
  }
  return {
    tenantId,
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    ...(certificate ? { certificate } : {}),
    endpoint: cfg("endpoint") ?? nonEmpty(env.CLOUDPARTNER_ENDPOINT),
    authority: cfg("authority") ?? nonEmpty(env.AZURE_AUTHORITY_HOST),
    operationTimeoutSeconds: seconds(cfg, "operationTimeoutSeconds", DEFAULTS.operationTimeoutSeconds),
    pollMinIntervalSeconds: seconds(cfg, "pollMinIntervalSeconds", DEFAULTS.pollMinIntervalSeconds),
    pollMaxIntervalSeconds: seconds(cfg, "pollMaxIntervalSeconds", DEFAULTS.pollMaxIntervalSeconds),
    httpTimeoutSeconds: seconds(cfg, "httpTimeoutSeconds", DEFAULTS.httpTimeoutSeconds),
    maxRetries: count(cfg, "maxRetries", DEFAULTS.maxRetries),
    retryDelayMs: seconds(cfg, "retryDelayMs", DEFAULTS.retryDelayMs),
  };
}

function readCertificate(cfg: (k: string) => string | undefined, env: NodeJS.ProcessEnv): ProviderSettings["certificate"] {
  const path = cfg("clientCertificatePath") ?? nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PATH);
  let pem = cfg("clientCertificatePem");
  if (!pem && path) {
    try {
      pem = readFileSync(path, "utf8");
    } catch (e) {
      throw new ConfigurationError(`cloudpartner: cannot read the client certificate at ${path} (${(e as NodeJS.ErrnoException).code}); fix ${CONFIG_NAMESPACE}:clientCertificatePath`);
    }
  }
  if (!pem) return undefined;
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!key) throw new ConfigurationError(`cloudpartner: the client certificate PEM holds no private key; it must contain the private key and the certificate`);
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
    throw new ConfigurationError(`cloudpartner: the client certificate PEM has no certificate to take a thumbprint from; add it, or set ${CONFIG_NAMESPACE}:clientCertificateThumbprint`);
  }
  return { privateKeyPem: key, ...(thumbprint ? { thumbprint } : {}), ...(thumbprintSha256 ? { thumbprintSha256 } : {}), ...(x5c ? { x5c } : {}) };
}

function seconds(cfg: (k: string) => string | undefined, key: string, fallback: number): number {
  const raw = cfg(key);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new ConfigurationError(`cloudpartner: ${CONFIG_NAMESPACE}:${key} must be a positive number of seconds; got "${raw}"`);
  }
  return n;
}

function count(cfg: (k: string) => string | undefined, key: string, fallback: number): number {
  const raw = cfg(key);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigurationError(`cloudpartner: ${CONFIG_NAMESPACE}:${key} must be a whole number ≥ 0; got "${raw}"`);
  return n;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
