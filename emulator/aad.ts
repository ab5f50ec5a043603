// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from "node:crypto";
import type { EmulatedClock } from "./clock.js";
import { decodeJwt, jwks, signJwt, thumbprintToX5t, verifyJwt, verifyWithJwks } from "./jwt.js";
import { isOwnIssuer, oidcKey } from "./oidc.js";
import type { Reply } from "./service.js";
import { knownTenants, type EmulatorState, type Principal } from "./state.js";

/** The resource (audience) of CPP tokens. */
export const CPP_RESOURCE = "https://cloudpartner.azure.com";
/** The resource (audience) of Product Ingestion API tokens: Microsoft Graph (docs/internals/api-notes.md §P2). */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** The resources tokens are issued for. */
const RESOURCES = [CPP_RESOURCE, GRAPH_RESOURCE];
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * The Azure AD pieces msal-node needs for client credentials: OpenID configuration, instance
 * discovery, JWKS, and the v2 and v1 token endpoints, issuing RS256 tokens for the CPP API and
 * for Microsoft Graph (the Product Ingestion API).
 * Every tenant with a principal (or seeded in `tenants`) is known; clients authenticate with a
 * secret, a certificate assertion, or a federated assertion (workload identity federation).
 */
export class Aad {
  constructor(
    private readonly state: EmulatorState,
    private readonly clock: EmulatedClock,
  ) {}

  /** Token time: moved by clock jumps unless mode clockAgesTokens is off. */
  private tokenNow(): number {
    return this.clock.tokenNow(this.state.modes.clockAgesTokens);
  }

  /**
   * Routes `/{tenant}/...` (Azure AD's own paths). `base` is the URL the request was addressed
   * to (its Host, or the public URL), from which every absolute URL is built. Returns undefined
   * for unknown paths.
   */
  handle(
    method: string,
    path: string,
    form: URLSearchParams,
    base: string,
  ): { reply: Reply; clientId?: string } | undefined {
    const segs = path.split("/").filter(Boolean);
    const tenant = segs[0];
    const rest = segs.slice(1).join("/");
    if (method === "GET" && rest === "discovery/instance") {
      const host = new URL(base).host;
      return {
        reply: {
          status: 200,
          body: {
            tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
            "api-version": "1.1",
            metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
          },
        },
      };
    }
    if (method === "GET" && rest === "v2.0/.well-known/openid-configuration") {
      if (!knownTenants(this.state).has(tenant))
        return { reply: aadError(400, "invalid_tenant", 90002, `Tenant '${tenant}' not found.`) };
      return {
        reply: {
          status: 200,
          body: {
            issuer: `${base}/${tenant}/v2.0`,
            token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
            authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
            end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
            jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
            response_types_supported: ["code", "id_token", "token"],
            token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            tenant_region_scope: "WW",
          },
        },
      };
    }
    if (method === "GET" && rest === "discovery/v2.0/keys")
      return { reply: { status: 200, body: jwks(this.state.key) } };
    if (method === "POST" && (rest === "oauth2/v2.0/token" || rest === "oauth2/token")) {
      const v1 = rest === "oauth2/token";
      return this.token(tenant, form, v1);
    }
    return undefined;
  }

  private token(tenant: string, form: URLSearchParams, v1: boolean): { reply: Reply; clientId?: string } {
    if (!knownTenants(this.state).has(tenant))
      return {
        reply: aadError(
          400,
          "invalid_request",
          90002,
          `Tenant '${tenant}' not found. This may happen if there are no active subscriptions for the tenant.`,
        ),
      };
    if (form.get("grant_type") !== "client_credentials")
      return { reply: aadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.") };
    const clientId = form.get("client_id") ?? "";
    const principal = this.state.principals.find((p) => p.clientId === clientId && p.tenantId === tenant);
    if (!principal)
      return {
        reply: aadError(
          400,
          "unauthorized_client",
          700016,
          `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
        ),
        clientId,
      };
    const audience = v1 ? form.get("resource") : form.get("scope");
    // v1 names the resource, with or without a trailing slash; v2 its `/.default` scope.
    const resource = RESOURCES.find((r) =>
      v1 ? audience === r || audience === `${r}/` : (audience ?? "").split(" ").includes(`${r}/.default`),
    );
    if (!resource)
      return {
        reply: aadError(
          400,
          "invalid_scope",
          70011,
          `The provided value for the input parameter 'scope' is not valid: ${audience}`,
        ),
        clientId,
      };
    const refused = this.authenticate(principal, form);
    if (refused) return { reply: refused, clientId };
    const now = Math.floor(this.tokenNow() / 1000);
    const lifetime = this.state.modes.tokenLifetimeSeconds;
    const token = signJwt(
      {
        aud: resource,
        iss: `https://sts.windows.net/${tenant}/`,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        appid: clientId,
        azp: clientId,
        oid: principal.objectId,
        tid: tenant,
        sub: principal.objectId,
        ver: v1 ? "1.0" : "2.0",
        uti: randomUUID(),
      },
      this.state.key,
    );
    // AAD v1 answers with strings of seconds, including the absolute expiry; v2 with numbers only.
    const body = v1
      ? {
          token_type: "Bearer",
          expires_in: String(lifetime),
          ext_expires_in: String(lifetime),
          expires_on: String(now + lifetime),
          not_before: String(now),
          resource,
          access_token: token,
        }
      : { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: token };
    return { reply: { status: 200, body }, clientId };
  }

  /** Checks the client's credential; returns AAD's refusal, or undefined when it is accepted. */
  private authenticate(p: Principal, form: URLSearchParams): Reply | undefined {
    const badSecret = () =>
      aadError(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
      );
    const secret = form.get("client_secret");
    if (secret !== null) return p.clientSecret !== undefined && secret === p.clientSecret ? undefined : badSecret();
    const assertion = form.get("client_assertion");
    if (assertion === null)
      return aadError(
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    if (form.get("client_assertion_type") !== ASSERTION_TYPE) {
      return aadError(400, "invalid_request", 50027, `The client_assertion_type must be '${ASSERTION_TYPE}'.`);
    }
    const header = decodeJwt(assertion)?.header;
    if (!header || typeof header !== "object")
      return aadError(400, "invalid_request", 50027, "JWT token is invalid or is malformed.");
    // A certificate assertion names its certificate (x5t / x5t#S256); a federated one does not.
    if (header.x5t !== undefined || header["x5t#S256"] !== undefined)
      return this.certificate(p, assertion, header) ? undefined : badSecret();
    return this.federated(p, assertion);
  }

  private certificate(p: Principal, assertion: string, header: Record<string, unknown>): boolean {
    const cert = p.certificate;
    if (!cert) return false;
    const matches =
      (cert.thumbprint && header.x5t === thumbprintToX5t(cert.thumbprint)) ||
      (cert.thumbprintSha256 && header["x5t#S256"] === thumbprintToX5t(cert.thumbprintSha256));
    if (!matches) return false;
    const verified = verifyJwt(assertion, cert.publicKeyPem);
    if (!verified) return false;
    const claims = verified.payload;
    const now = Math.floor(this.tokenNow() / 1000);
    return (
      claims.iss === p.clientId &&
      claims.sub === p.clientId &&
      (typeof claims.exp !== "number" || claims.exp + 300 >= now)
    );
  }

  /**
   * Workload identity federation: the assertion must come from the credential's issuer (signed
   * with its keys), about its subject, for its audience, and be within its validity. Each refusal
   * has Azure AD's code: 700211 issuer, 700213 subject, 700212 audience, 700024 time range.
   */
  private federated(p: Principal, assertion: string): Reply | undefined {
    const fic = p.federated;
    const claims = decodeJwt(assertion)?.payload ?? {};
    const check =
      "Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation";
    if (!fic || claims.iss !== fic.issuer) {
      return aadError(
        401,
        "invalid_client",
        700211,
        `No matching federated identity record found for presented assertion issuer '${String(claims.iss)}'. Please note that the matching is done using a case-sensitive comparison. ${check}`,
      );
    }
    const keys = isOwnIssuer(fic.issuer) ? jwks(oidcKey(this.state)) : fic.jwks;
    if (!keys || !verifyWithJwks(assertion, keys)) {
      return aadError(401, "invalid_client", 700027, "Client assertion failed signature validation.");
    }
    if (claims.sub !== fic.subject) {
      return aadError(
        401,
        "invalid_client",
        700213,
        `No matching federated identity record found for presented assertion subject '${String(claims.sub)}'. ${check}`,
      );
    }
    const aud = claims.aud;
    if (!(aud === fic.audience || (Array.isArray(aud) && aud.includes(fic.audience)))) {
      return aadError(
        401,
        "invalid_client",
        700212,
        `No matching federated identity record found for presented assertion audience '${String(aud)}'. ${check}`,
      );
    }
    const now = Math.floor(this.tokenNow() / 1000);
    const inRange =
      typeof claims.exp === "number" && now < claims.exp && (typeof claims.nbf !== "number" || claims.nbf <= now);
    if (!inRange) {
      const at = (s: unknown) =>
        typeof s === "number" ? new Date(s * 1000).toISOString().replace("T", " ").slice(0, 19) : "(none)";
      return aadError(
        401,
        "invalid_client",
        700024,
        `Client assertion is not within its valid time range. Current time: ${at(now)}, assertion valid from ${at(claims.nbf)}, expiry time of assertion ${at(claims.exp)}.`,
      );
    }
    return undefined;
  }

  /**
   * Validates a bearer token for an API: our signature, that API's audience (`resource`), not
   * expired. Returns the caller's client id, or why it was refused.
   */
  validate(
    authorization: string | undefined,
    resource = CPP_RESOURCE,
  ): { clientId: string; tenantId: string } | { error: string } {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!m) return { error: "missing bearer token" };
    const verified = verifyJwt(m[1], this.state.key.publicKeyPem);
    if (!verified) return { error: "invalid signature" };
    const c = verified.payload;
    if (c.aud !== resource && c.aud !== `${resource}/`) return { error: "wrong audience" };
    if (typeof c.exp !== "number" || c.exp * 1000 <= this.tokenNow()) return { error: "expired" };
    return { clientId: String(c.appid), tenantId: String(c.tid) };
  }
}

function aadError(status: number, error: string, code: number, description: string): Reply {
  const trace = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${trace}`,
      error_codes: [code],
      timestamp: new Date().toISOString().replace("T", " ").slice(0, 19) + "Z",
      trace_id: trace,
      correlation_id: randomUUID(),
    },
  };
}
