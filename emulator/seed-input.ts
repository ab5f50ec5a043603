// SPDX-License-Identifier: Apache-2.0
import { documentProblem } from "./validation.js";
import { DEFAULT_FEDERATED_AUDIENCE, type Doc, type Principal } from "./state.js";

/** A checked `POST /_emulator/seed` body (docs/emulator.md). */
export interface SeedInput {
  tenants: string[];
  publishers: Array<{ id: string; displayText?: string }>;
  principals: Array<Omit<Principal, "tenantId" | "objectId"> & { tenantId?: string; objectId?: string }>;
  offers: Array<{ publisherId: string; offer: Doc; migrated?: boolean }>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 1000;

/**
 * Checks a seed body and fills defaults (a federated credential's issuer is the emulator's own,
 * `ownIssuer`, unless given; its audience `api://AzureADTokenExchange`). Throws an Error naming
 * the first bad field, so the control API answers 400 and nothing is applied.
 */
export function parseSeed(input: unknown, ownIssuer: string): SeedInput {
  if (!isObject(input)) throw new Error("seed: the body must be a JSON object");
  const list = (name: string): unknown[] => {
    const v = input[name];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new Error(`seed: ${name} must be an array`);
    return v;
  };
  const tenants = list("tenants").map((t, i) => {
    if (!isText(t)) throw new Error(`seed: tenants[${i}] must be a non-empty string`);
    return t;
  });
  const publishers = list("publishers").map((p, i) => {
    if (!isObject(p) || !isText(p.id)) throw new Error(`seed: publishers[${i}].id must be a non-empty string`);
    if (p.displayText !== undefined && typeof p.displayText !== "string")
      throw new Error(`seed: publishers[${i}].displayText must be a string`);
    return { id: p.id, ...(p.displayText !== undefined ? { displayText: p.displayText as string } : {}) };
  });
  const principals = list("principals").map((p, i) => parsePrincipal(p, `principals[${i}]`, ownIssuer));
  const offers = list("offers").map((o, i) => {
    if (!isObject(o) || !isText(o.publisherId))
      throw new Error(`seed: offers[${i}].publisherId must be a non-empty string`);
    if (!isObject(o.offer) || !isText(o.offer.id))
      throw new Error(`seed: offers[${i}].offer must be an offer document with an id`);
    if (o.migrated !== undefined && typeof o.migrated !== "boolean")
      throw new Error(`seed: offers[${i}].migrated must be true or false`);
    const problem = documentProblem(o.offer.id, o.offer, o.migrated === true);
    if (problem) throw new Error(`seed: offers[${i}].offer: ${problem.message}`);
    return {
      publisherId: o.publisherId,
      offer: o.offer as Doc,
      ...(o.migrated !== undefined ? { migrated: o.migrated as boolean } : {}),
    };
  });
  return { tenants, publishers, principals, offers };
}

function parsePrincipal(p: unknown, at: string, ownIssuer: string): SeedInput["principals"][number] {
  if (!isObject(p) || !isText(p.clientId)) throw new Error(`seed: ${at}.clientId must be a non-empty string`);
  for (const k of ["tenantId", "objectId", "clientSecret"]) {
    if (p[k] !== undefined && !isText(p[k])) throw new Error(`seed: ${at}.${k} must be a non-empty string`);
  }
  const publishers = p.publishers ?? [];
  if (!Array.isArray(publishers) || !publishers.every(isText))
    throw new Error(`seed: ${at}.publishers must be an array of publisher ids`);
  const out: SeedInput["principals"][number] = {
    clientId: p.clientId,
    publishers: publishers as string[],
    ...(p.tenantId !== undefined ? { tenantId: p.tenantId as string } : {}),
    ...(p.objectId !== undefined ? { objectId: p.objectId as string } : {}),
    ...(p.clientSecret !== undefined ? { clientSecret: p.clientSecret as string } : {}),
  };
  if (p.certificate !== undefined) {
    const c = p.certificate;
    if (!isObject(c) || typeof c.publicKeyPem !== "string")
      throw new Error(`seed: ${at}.certificate needs publicKeyPem`);
    if (c.thumbprint !== undefined && typeof c.thumbprint !== "string")
      throw new Error(`seed: ${at}.certificate.thumbprint must be a hex string`);
    if (c.thumbprintSha256 !== undefined && typeof c.thumbprintSha256 !== "string")
      throw new Error(`seed: ${at}.certificate.thumbprintSha256 must be a hex string`);
    out.certificate = {
      publicKeyPem: c.publicKeyPem,
      ...(c.thumbprint ? { thumbprint: c.thumbprint as string } : {}),
      ...(c.thumbprintSha256 ? { thumbprintSha256: c.thumbprintSha256 as string } : {}),
    };
  }
  if (p.federated !== undefined) {
    const f = p.federated;
    if (!isObject(f) || !isText(f.subject)) throw new Error(`seed: ${at}.federated.subject must be a non-empty string`);
    if (f.issuer !== undefined && !isText(f.issuer))
      throw new Error(
        `seed: ${at}.federated.issuer must be a non-empty string (omit it for the emulator's own issuer)`,
      );
    if (f.audience !== undefined && !isText(f.audience))
      throw new Error(`seed: ${at}.federated.audience must be a non-empty string`);
    if (f.jwks !== undefined && !(isObject(f.jwks) && Array.isArray(f.jwks.keys) && f.jwks.keys.every(isObject))) {
      throw new Error(`seed: ${at}.federated.jwks must be a JWKS ({keys:[…]})`);
    }
    out.federated = {
      issuer: (f.issuer as string | undefined) ?? ownIssuer,
      subject: f.subject,
      audience: (f.audience as string | undefined) ?? DEFAULT_FEDERATED_AUDIENCE,
      ...(f.jwks !== undefined ? { jwks: f.jwks as { keys: Array<Record<string, unknown>> } } : {}),
    };
  }
  return out;
}
