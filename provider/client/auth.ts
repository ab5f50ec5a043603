// SPDX-License-Identifier: Apache-2.0
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ConfidentialClientApplication, type Configuration } from "@azure/msal-node";
import { CloudPartnerError } from "./errors.js";
import { registerSecret } from "./redact.js";
import { assertSecureUrl } from "./url-policy.js";

/** The CPP API's token scope (v2 form of the resource `https://cloudpartner.azure.com`). */
export const CPP_SCOPE = "https://cloudpartner.azure.com/.default";
/** Default Azure AD host. */
export const DEFAULT_AUTHORITY = "https://login.microsoftonline.com";

/** A service principal with a client secret. */
export interface ClientSecretCredentialOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Azure AD host, default `https://login.microsoftonline.com` (sovereign clouds, the emulator). */
  authority?: string;
}

/** A service principal with a certificate (private key PEM plus its thumbprint). */
export interface ClientCertificateCredentialOptions {
  tenantId: string;
  clientId: string;
  certificate: { privateKeyPem: string; thumbprint?: string; thumbprintSha256?: string; x5c?: string };
  authority?: string;
}

/**
 * A service principal with a federated credential (workload identity federation): a file holding
 * a token from a trusted issuer (a CI's OIDC provider), exchanged for an access token as a client
 * assertion. The file is read again on every token request, because the CI rotates it.
 */
export interface FederatedCredentialOptions {
  tenantId: string;
  clientId: string;
  /** Path of the federated token (`AZURE_FEDERATED_TOKEN_FILE` in Azure's pipelines and AKS). */
  federatedTokenFile: string;
  authority?: string;
}

/** Any of the credentials. */
export type CredentialOptions =
  ClientSecretCredentialOptions | ClientCertificateCredentialOptions | FederatedCredentialOptions;

/** Supplies bearer tokens for one API (the CPP API, or the Product Ingestion API). */
export interface TokenProvider {
  getToken(options?: { forceRefresh?: boolean; abortSignal?: AbortSignal }): Promise<string>;
}

// One token provider (and msal application) per credential and scope per process, so every
// client built from the same credential for the same API shares one token, renewed near expiry.
const providers = new Map<string, TokenProvider>();

/**
 * Returns the process-wide token provider of a credential for a scope (created on first use).
 * `scope` is the v2 scope of the API's tokens: `https://cloudpartner.azure.com/.default` (the
 * default, the CPP API), or `https://graph.microsoft.com/.default` for the Product Ingestion API.
 */
export function createTokenProvider(credential: CredentialOptions, scope: string = CPP_SCOPE): TokenProvider {
  const authority = (credential.authority ?? DEFAULT_AUTHORITY).replace(/\/+$/, "");
  const material =
    "clientSecret" in credential
      ? credential.clientSecret
      : "federatedTokenFile" in credential
        ? `federated|${credential.federatedTokenFile}`
        : `${credential.certificate.thumbprint ?? ""}|${credential.certificate.thumbprintSha256 ?? ""}|${credential.certificate.privateKeyPem}`;
  const key = [
    scope,
    authority,
    credential.tenantId,
    credential.clientId,
    createHash("sha256").update(material).digest("hex"),
  ].join("|");
  let provider = providers.get(key);
  if (!provider) {
    provider = new MsalTokenProvider(credential, authority, scope);
    providers.set(key, provider);
  }
  return provider;
}

/** msal-node's own renewal margin: a cached token is not used in its last five minutes. */
const RENEWAL_MARGIN_MS = 300_000;

/** A token and when to stop handing it out. */
interface HeldToken {
  token: string;
  renewAtMs: number;
}

/** An acquisition in flight; `forced` when it skips msal's cache (after a 401). */
interface Flight {
  forced: boolean;
  result: Promise<HeldToken>;
}

class MsalTokenProvider implements TokenProvider {
  private app?: Promise<ConfidentialClientApplication>;
  /** The last token, handed out until its renewal time without asking msal again. */
  private held?: HeldToken;
  /** The acquisition in flight, which concurrent callers join. */
  private flight?: Flight;

  constructor(
    private readonly credential: CredentialOptions,
    private readonly authority: string,
    private readonly scope: string,
  ) {
    if ("clientSecret" in credential) registerSecret(credential.clientSecret);
    assertSecureUrl(authority, "authority");
  }

  /**
   * The token to send. Why it does not simply call msal each time: the engine starts several
   * steps at once, and msal looks up its cache without noticing a request already in flight, so
   * each of the first concurrent calls of a process asked Azure AD for a token of its own (8 at
   * the CLI's default parallelism). Here concurrent calls share one acquisition, and a token is
   * reused until msal itself would renew it, which also skips msal's cache lookup per request.
   * `forceRefresh` (after a 401) never gets the held token or joins an acquisition that may
   * return it: it starts one that skips msal's cache, which later calls then join.
   */
  async getToken(options: { forceRefresh?: boolean; abortSignal?: AbortSignal } = {}): Promise<string> {
    if (options.abortSignal?.aborted) throw new CloudPartnerError("CPP_ABORTED", "token request aborted");
    const forced = options.forceRefresh === true;
    if (!forced && !this.flight && this.held && Date.now() < this.held.renewAtMs) return this.held.token;
    if (!this.flight || (forced && !this.flight.forced)) {
      const flight: Flight = { forced, result: this.acquire(forced) };
      this.flight = flight;
      // Only the current acquisition keeps its token: a plain one overtaken by a forced one may
      // return the token a 401 refused.
      const settle = (held?: HeldToken) => {
        if (this.flight !== flight) return;
        this.flight = undefined;
        if (held) this.held = held;
      };
      flight.result.then(settle, () => settle());
    }
    return (await this.flight.result).token;
  }

  private async acquire(skipCache: boolean): Promise<HeldToken> {
    const app = await (this.app ??= this.createApp().catch((e) => {
      this.app = undefined;
      throw e;
    }));
    try {
      const result = await app.acquireTokenByClientCredential({ scopes: [this.scope], skipCache });
      if (!result?.accessToken) throw new Error("no access token in the response");
      const expires = result.expiresOn?.getTime() ?? 0;
      const refresh = result.refreshOn?.getTime() ?? Infinity;
      return { token: result.accessToken, renewAtMs: Math.min(expires - RENEWAL_MARGIN_MS, refresh) };
    } catch (e) {
      throw authError(this.credential, e);
    }
  }

  /**
   * msal-node insists on an https authority. For a plain-http loopback authority (the emulator)
   * we read its OpenID configuration ourselves and hand msal the metadata, with a stand-in https
   * authority of the same host; msal then posts straight to the metadata's token endpoint.
   */
  private async createApp(): Promise<ConfidentialClientApplication> {
    const c = this.credential;
    const auth: Configuration["auth"] = { clientId: c.clientId, authority: `${this.authority}/${c.tenantId}` };
    if ("clientSecret" in c) auth.clientSecret = c.clientSecret;
    else if ("federatedTokenFile" in c) {
      // A callback, so each token request sends the token the file holds now (CIs rotate it).
      auth.clientAssertion = () => readFederatedToken(c.federatedTokenFile);
    } else {
      auth.clientCertificate = {
        privateKey: c.certificate.privateKeyPem,
        ...(c.certificate.thumbprintSha256
          ? { thumbprintSha256: c.certificate.thumbprintSha256 }
          : { thumbprint: c.certificate.thumbprint }),
        ...(c.certificate.x5c ? { x5c: c.certificate.x5c } : {}),
      } as NonNullable<Configuration["auth"]["clientCertificate"]>;
    }
    const url = new URL(this.authority);
    if (url.protocol === "http:") {
      const metadataUrl = `${this.authority}/${c.tenantId}/v2.0/.well-known/openid-configuration`;
      let metadata: string;
      try {
        const res = await fetch(metadataUrl, { signal: AbortSignal.timeout(60_000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        metadata = await res.text();
      } catch (e) {
        throw new CloudPartnerError(
          "CPP_AUTH_FAILED",
          `could not read the OpenID configuration of authority ${this.authority} (${describeFetchError(e)}); check cloudpartner:authority`,
          { cause: e },
        );
      }
      auth.authority = `https://${url.host}/${c.tenantId}`;
      auth.knownAuthorities = [url.host];
      auth.authorityMetadata = metadata;
    } else if (!/^login\.(microsoftonline\.(com|us)|chinacloudapi\.cn|microsoft\.com)$/.test(url.hostname)) {
      auth.knownAuthorities = [url.host];
    }
    return new ConfidentialClientApplication({
      auth,
      system: { loggerOptions: { piiLoggingEnabled: false, logLevel: 0, loggerCallback: () => undefined } },
    });
  }
}

/** A fetch failure as a person can act on it: fetch's own "fetch failed" with its cause's code. */
function describeFetchError(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : "";
  return code ? `${(e as Error).message}: ${code}` : (e as Error).message;
}

/** The config key and environment variable of the federated token file, for error messages. */
const TOKEN_FILE_KEYS = "cloudpartner:federatedTokenFile (or AZURE_FEDERATED_TOKEN_FILE)";

/**
 * Reads the federated token. The token is registered as a secret before anything can print it,
 * so neither an error nor a log line can show it.
 */
export async function readFederatedToken(path: string): Promise<string> {
  let token: string;
  try {
    token = (await readFile(path, "utf8")).trim();
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new CloudPartnerError(
      "CPP_CONFIGURATION",
      `cannot read the federated token file ${path} (${why}); ` +
        `fix ${TOKEN_FILE_KEYS}, and check that the pipeline step that writes the token ran`,
      { cause: e },
    );
  }
  registerSecret(token);
  if (token === "") {
    throw new CloudPartnerError(
      "CPP_CONFIGURATION",
      `the federated token file ${path} is empty; the pipeline step that ` +
        `requests the OIDC token must write it before the deployment (${TOKEN_FILE_KEYS})`,
    );
  }
  return token;
}

/** What to fix for each federated refusal of Azure AD (codes of the workload identity docs). */
const FEDERATED_HINTS: Array<[RegExp, string]> = [
  [
    /700211/,
    "the token's issuer is not the issuer of the app's federated credential: set the federated credential's " +
      "Issuer in Microsoft Entra ID (App registrations → Certificates & secrets → Federated credentials) to your CI's " +
      "OIDC issuer, or point cloudpartner:federatedTokenFile at a token of that issuer",
  ],
  [
    /700213/,
    "the token's subject does not match the federated credential's Subject identifier: set it to the subject " +
      "your pipeline presents (a GitHub job in an environment presents repo:<owner>/<repo>:environment:<environment>; " +
      "an Azure Pipelines service connection sc://<organization>/<project>/<service connection>)",
  ],
  [
    /700212/,
    "the token's audience does not match the federated credential's Audience: request the token for " +
      "api://AzureADTokenExchange (the default) or set the credential's Audience to the one requested",
  ],
  [
    /700024/,
    "the federated token has expired (or is not valid yet): request a fresh token from the CI's OIDC provider " +
      "right before the deployment and write it to the token file",
  ],
  [
    /700027/,
    "the token's signature does not verify with the issuer's keys: the file must hold the token exactly as " +
      "the issuer wrote it",
  ],
];

function federatedHint(text: string): string | undefined {
  return FEDERATED_HINTS.find(([re]) => re.test(text))?.[1];
}

function authError(c: CredentialOptions, e: unknown): CloudPartnerError {
  if (e instanceof CloudPartnerError) return e;
  const cause = (e as { cause?: unknown })?.cause;
  if (cause instanceof CloudPartnerError) return cause;
  const err = e as { errorCode?: string; errorMessage?: string; message?: string };
  const detail = (err.errorMessage ?? err.message ?? String(e)).split("\n")[0];
  const code = typeof err.errorCode === "string" && err.errorCode ? `${err.errorCode}: ` : "";
  const federated = "federatedTokenFile" in c ? federatedHint(detail + code) : undefined;
  const hint =
    federated ??
    (/7000215|invalid_client|AADSTS7000222/.test(detail + code)
      ? "the client secret (or certificate) is wrong or expired: set cloudpartner:clientSecret (or AZURE_CLIENT_SECRET)"
      : /700016|unauthorized_client/.test(detail + code)
        ? "no application with this client id exists in the tenant: check cloudpartner:clientId and cloudpartner:tenantId"
        : /90002|tenant/i.test(detail)
          ? "the tenant was not found: check cloudpartner:tenantId"
          : "check cloudpartner:tenantId, cloudpartner:clientId, the secret, certificate or federated token file, and cloudpartner:authority");
  return new CloudPartnerError(
    "CPP_AUTH_FAILED",
    `could not get a token for client ${c.clientId} in tenant ${c.tenantId}: ${code}${detail}. Fix: ${hint}`,
    { fix: hint, cause: e },
  );
}
