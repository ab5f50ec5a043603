// SPDX-License-Identifier: Apache-2.0
import { constants, createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";

/** The emulator's token-signing key (PEM, so it can be persisted and survive a restart). */
export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString("base64url");

/** Generates an RSA signing key at start (never committed, never shipped). */
export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    kid: createHash("sha256").update(publicKeyPem).digest("base64url").slice(0, 16),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem,
  };
}

/** Signs an RS256 JWT. */
export function signJwt(payload: Record<string, unknown>, key: SigningKey): string {
  const header = b64url(JSON.stringify({ typ: "JWT", alg: "RS256", kid: key.kid }));
  const body = b64url(JSON.stringify(payload));
  const signature = sign("sha256", Buffer.from(`${header}.${body}`), key.privateKeyPem);
  return `${header}.${body}.${b64url(signature)}`;
}

/** A decoded JWT whose signature was checked. */
export interface VerifiedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/**
 * Decodes one base64url segment strictly: only the base64url alphabet, no padding, and exactly
 * the canonical encoding of the bytes it decodes to. Node's decoder skips foreign characters and
 * drops a trailing partial one, which would let a token with characters appended to its
 * signature verify; Azure AD refuses such a token.
 */
function base64url(segment: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) return undefined;
  const bytes = Buffer.from(segment, "base64url");
  return bytes.toString("base64url") === segment ? bytes : undefined;
}

/** Splits a JWT without verifying it (to find which key to verify it with). */
export function decodeJwt(token: string): VerifiedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [header, payload] = [base64url(parts[0]), base64url(parts[1])];
  if (!header || !payload) return undefined;
  try {
    return { header: JSON.parse(header.toString()), payload: JSON.parse(payload.toString()) };
  } catch {
    return undefined;
  }
}

/** Verifies an RS256 or PS256 JWT signature with a public key; returns it decoded, or undefined. */
export function verifyJwt(token: string, publicKey: string | KeyObject): VerifiedJwt | undefined {
  const decoded = decodeJwt(token);
  if (!decoded) return undefined;
  if (typeof decoded.header !== "object" || decoded.header === null) return undefined;
  if (typeof decoded.payload !== "object" || decoded.payload === null) return undefined;
  const [h, p, s] = token.split(".");
  const data = Buffer.from(`${h}.${p}`);
  const signature = base64url(s);
  if (!signature) return undefined;
  const alg = decoded.header.alg;
  try {
    const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
    const ok =
      alg === "RS256"
        ? verify("sha256", data, key, signature)
        : alg === "PS256"
          ? verify("sha256", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)
          : false;
    return ok ? decoded : undefined;
  } catch {
    // A key of the wrong type, or a signature of the wrong length: not verified (never a crash).
    return undefined;
  }
}

/** The JWKS document of a signing key. */
export function jwks(key: SigningKey): { keys: Array<Record<string, unknown>> } {
  const jwk = createPublicKey(key.publicKeyPem).export({ format: "jwk" }) as Record<string, unknown>;
  return { keys: [{ ...jwk, kid: key.kid, use: "sig", alg: "RS256" }] };
}

/** A JSON Web Key Set, as an issuer publishes it. */
export interface Jwks {
  keys: Array<Record<string, unknown>>;
}

/**
 * Verifies a JWT against a JWKS: the key named by the header's `kid` (or, without `kid`, any key
 * of the set). Returns it decoded, or undefined when no key verifies it or a key is malformed.
 */
export function verifyWithJwks(token: string, set: Jwks): VerifiedJwt | undefined {
  const kid = decodeJwt(token)?.header.kid;
  for (const jwk of set.keys ?? []) {
    if (kid !== undefined && jwk.kid !== undefined && jwk.kid !== kid) continue;
    try {
      const verified = verifyJwt(token, createPublicKey({ key: jwk as never, format: "jwk" }));
      if (verified) return verified;
    } catch {
      // A malformed key in a seeded set verifies nothing; the others may.
    }
  }
  return undefined;
}

/** base64url of a hex thumbprint's bytes: how `x5t` / `x5t#S256` carry it. */
export function thumbprintToX5t(hex: string): string {
  return Buffer.from(hex.replace(/[^0-9a-f]/gi, ""), "hex").toString("base64url");
}
