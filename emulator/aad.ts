// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from "node:crypto";
import type { EmulatedClock } from "./clock.js";
import { decodeJwt, jwks, signJwt, thumbprintToX5t, verifyJwt } from "./jwt.js";
import type { Reply } from "./service.js";
import type { EmulatorState, Principal } from "./state.js";

/** The resource (audience) of CPP tokens. */
export const CPP_RESOURCE = "https://cloudpartner.azure.com";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * The Azure AD pieces msal-node needs for client credentials: OpenID configuration, instance
 * discovery, JWKS, and the v2 and v1 token endpoints, issuing RS256 tokens for the CPP resource.
 */
export class Aad {
  constructor(private readonly state: EmulatorState, private readonly clock: EmulatedClock, private readonly baseUrl: () => string) {}

  /** Routes `/{tenant}/...` (Azure AD's own paths). Returns undefined for unknown paths. */
  handle(method: string, path: string, form: URLSearchParams): { reply: Reply; clientId?: string } | undefined {
    const base = this.baseUrl();
    const segs = path.split("/").filter(Boolean);
    const tenant = segs[0];
    if (method === "GET" && segs[1] === "discovery" && segs[2] === "instance") {
      const host = new URL(base).host;
      return { reply: { status: 200, body: { tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`, "api-version": "1.1", metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }] } } };
    }
    if (method === "GET" && segs.slice(1).join("/") === "v2.0/.well-known/openid-configuration") {
      if (tenant !== this.state.tenantId) return { reply: aadError(400, "invalid_tenant", 90002, `Tenant '${tenant}' not found.`) };
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
    if (method === "GET" && segs.slice(1).join("/") === "discovery/v2.0/keys") return { reply: { status: 200, body: jwks(this.state.key) } };
    if (method === "POST" && (segs.slice(1).join("/") === "oauth2/v2.0/token" || segs.slice(1).join("/") === "oauth2/token")) {
      const v1 = segs[2] === "token";
      return this.token(tenant, form, v1, `${base}/${tenant}/${v1 ? "oauth2/token" : "oauth2/v2.0/token"}`);
    }
    return undefined;
  }

  private token(tenant: string, form: URLSearchParams, v1: boolean, endpoint: string): { reply: Reply; clientId?: string } {
    if (tenant !== this.state.tenantId) return { reply: aadError(400, "invalid_request", 90002, `Tenant '${tenant}' not found. This may happen if there are no active subscriptions for the tenant.`) };
    if (form.get("grant_type") !== "client_credentials") return { reply: aadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.") };
    const clientId = form.get("client_id") ?? "";
    const principal = this.state.principals.find((p) => p.clientId === clientId && p.tenantId === tenant);
    if (!principal) return { reply: aadError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`), clientId };
    const audience = v1 ? form.get("resource") : form.get("scope");
    const okAudience = v1 ? audience === CPP_RESOURCE || audience === `${CPP_RESOURCE}/` : (audience ?? "").split(" ").includes(`${CPP_RESOURCE}/.default`);
    if (!okAudience) return { reply: aadError(400, "invalid_scope", 70011, `The provided value for the input parameter 'scope' is not valid: ${audience}`), clientId };
    if (!this.authenticated(principal, form, endpoint)) {
      return { reply: aadError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."), clientId };
    }
    const now = Math.floor(this.clock.tokenNow() / 1000);
    const lifetime = this.state.modes.tokenLifetimeSeconds;
    const token = signJwt({
      aud: CPP_RESOURCE, iss: `https://sts.windows.net/${tenant}/`, iat: now, nbf: now, exp: now + lifetime,
      appid: clientId, azp: clientId, oid: principal.objectId, tid: tenant, sub: principal.objectId, ver: v1 ? "1.0" : "2.0", uti: randomUUID(),
    }, this.state.key);
    return { reply: { status: 200, body: { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: token, ...(v1 ? { resource: CPP_RESOURCE } : {}) } }, clientId };
  }

  private authenticated(p: Principal, form: URLSearchParams, endpoint: string): boolean {
    const secret = form.get("client_secret");
    if (secret !== null) return p.clientSecret !== undefined && secret === p.clientSecret;
    if (form.get("client_assertion_type") !== ASSERTION_TYPE || !p.certificate) return false;
    const assertion = form.get("client_assertion") ?? "";
    const header = decodeJwt(assertion)?.header ?? {};
    const cert = p.certificate;
    const matches = (cert.thumbprint && header.x5t === thumbprintToX5t(cert.thumbprint)) || (cert.thumbprintSha256 && header["x5t#S256"] === thumbprintToX5t(cert.thumbprintSha256));
    if (!matches) return false;
    const verified = verifyJwt(assertion, cert.publicKeyPem);
    if (!verified) return false;
    const claims = verified.payload;
    const now = Math.floor(this.clock.tokenNow() / 1000);
    const aud = claims.aud;
    return claims.iss === p.clientId && claims.sub === p.clientId && (aud === endpoint || (Array.isArray(aud) && aud.includes(endpoint)) || typeof aud === "string") && (typeof claims.exp !== "number" || claims.exp + 300 >= now);
  }

  /**
   * Validates a bearer token for the API: our signature, the CPP audience, not expired.
   * Returns the caller's client id, or why it was refused.
   */
  validate(authorization: string | undefined): { clientId: string } | { error: string } {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!m) return { error: "missing bearer token" };
    const verified = verifyJwt(m[1], this.state.key.publicKeyPem);
    if (!verified) return { error: "invalid signature" };
    const c = verified.payload;
    if (c.aud !== CPP_RESOURCE && c.aud !== `${CPP_RESOURCE}/`) return { error: "wrong audience" };
    if (typeof c.exp !== "number" || c.exp * 1000 <= this.clock.tokenNow()) return { error: "expired" };
    return { clientId: String(c.appid) };
  }
}

function aadError(status: number, error: string, code: number, description: string): Reply {
  const trace = randomUUID();
  return {
    status,
    body: { error, error_description: `AADSTS${code}: ${description} Trace ID: ${trace}`, error_codes: [code], timestamp: new Date().toISOString().replace("T", " ").slice(0, 19) + "Z", trace_id: trace, correlation_id: randomUUID() },
  };
}
