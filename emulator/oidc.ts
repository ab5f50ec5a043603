// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from "node:crypto";
import type { EmulatedClock } from "./clock.js";
import { generateSigningKey, jwks, signJwt, type SigningKey } from "./jwt.js";
import type { Reply } from "./service.js";
import { DEFAULT_FEDERATED_AUDIENCE, type EmulatorState } from "./state.js";

/** Path of the emulator's own OIDC issuer, as GitHub Actions or Azure Pipelines would host one. */
export const OIDC_PATH = "/_oidc";

/** The issuer URL the emulator's federated tokens carry, for the base URL a caller addressed. */
export function oidcIssuer(base: string): string {
  return `${base}${OIDC_PATH}`;
}

/** True when `issuer` is an emulator issuer URL (whatever host it was addressed through). */
export function isOwnIssuer(issuer: unknown): boolean {
  if (typeof issuer !== "string") return false;
  try {
    const u = new URL(issuer);
    return u.pathname === OIDC_PATH && u.search === "" && (u.protocol === "http:" || u.protocol === "https:");
  } catch {
    return false;
  }
}

/** The issuer's signing key, made on first use (kept in the state so it survives a restart). */
export function oidcKey(state: EmulatorState): SigningKey {
  state.oidcKey ??= generateSigningKey();
  return state.oidcKey;
}

/** `GET /_oidc/.well-known/openid-configuration` and `GET /_oidc/keys`; undefined for other paths. */
export function handleOidc(method: string, path: string, state: EmulatorState, base: string): Reply | undefined {
  if (method !== "GET") return undefined;
  const issuer = oidcIssuer(base);
  if (path === `${OIDC_PATH}/.well-known/openid-configuration`) {
    return {
      status: 200,
      body: {
        issuer,
        jwks_uri: `${issuer}/keys`,
        subject_types_supported: ["public"],
        response_types_supported: ["id_token"],
        claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf"],
        id_token_signing_alg_values_supported: ["RS256"],
        scopes_supported: ["openid"],
      },
    };
  }
  if (path === `${OIDC_PATH}/keys`) return { status: 200, body: jwks(oidcKey(state)) };
  return undefined;
}

/** What `POST /_emulator/federated-token` takes. */
export interface FederatedTokenRequest {
  subject: string;
  audience?: string;
  expiresInSeconds?: number;
}

/**
 * Mints a federated token as a CI's OIDC provider would (the token a pipeline writes to
 * `AZURE_FEDERATED_TOKEN_FILE`). A negative or zero lifetime makes an already expired token,
 * for testing the refusal. Throws with a message naming the bad field.
 */
export function mintFederatedToken(
  req: unknown,
  state: EmulatorState,
  clock: EmulatedClock,
  base: string,
): { token: string; issuer: string } {
  const r = (req ?? {}) as Partial<Record<keyof FederatedTokenRequest, unknown>>;
  if (typeof r.subject !== "string" || r.subject === "") throw new Error("subject (a non-empty string) is required");
  if (r.audience !== undefined && (typeof r.audience !== "string" || r.audience === ""))
    throw new Error("audience must be a non-empty string");
  const lifetime = r.expiresInSeconds ?? 600;
  if (typeof lifetime !== "number" || !Number.isFinite(lifetime)) throw new Error("expiresInSeconds must be a number");
  const issuer = oidcIssuer(base);
  const now = Math.floor(clock.tokenNow(state.modes.clockAgesTokens) / 1000);
  const iat = Math.min(now, now + Math.floor(lifetime) - 60);
  const token = signJwt(
    {
      iss: issuer,
      sub: r.subject,
      aud: r.audience ?? DEFAULT_FEDERATED_AUDIENCE,
      iat,
      nbf: iat,
      exp: now + Math.floor(lifetime),
      jti: randomUUID(),
    },
    oidcKey(state),
  );
  return { token, issuer };
}
