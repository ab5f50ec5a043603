// SPDX-License-Identifier: Apache-2.0
import type { CloudPartnerErrorCode } from "../client/errors.js";
/**
 * The I/O of `cloudpartner-export`: credentials from the environment (as the provider reads
 * them), every offer read before anything is written, then the project written into a temporary
 * folder beside DIR and moved into place, so a failure leaves DIR as it was.
 */
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { readerFor } from "../backend/offer-reader.js";
import { DEFAULT_ENDPOINT, isCloudPartnerError, type CloudPartnerError } from "../client/index.js";
import { clientFor } from "../handlers/context.js";
import { API_NAMES, ConfigurationError, resolveSettings, type ProviderSettings } from "../handlers/settings.js";
import { IMAGE_KEYS, type WireOffer } from "../offer/document.js";
import { PIA_ENDPOINT } from "../pia/scope.js";
import type { ExportArgs } from "./args.js";
import { exportOffer, type ExportedOffer } from "./offer.js";
import { generateProject, type ProjectVersions } from "./project.js";

/** A failure of the export, with the code and the process exit code. */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly code: CloudPartnerErrorCode,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "ExportError";
  }
}

/** Where the export reads its environment and reports progress. */
export interface ExportIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** One line of progress (stderr). */
  progress(line: string): void;
}

/** What was written. */
export interface ExportResult {
  dir: string;
  /** The API the offers were read through. */
  api: ProviderSettings["api"];
  offers: ExportedOffer[];
  files: string[];
}

/** The environment variables the credential is read from, in the provider's order (settings.ts). */
const CREDENTIAL_ENV = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID"];
// Each credential kind resolveSettings accepts from the environment (a new kind: add its variable here).
const SECRET_ENV = ["AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE"];

/** Runs the export. Throws ExportError with a message that says what to fix. */
export async function runExport(args: ExportArgs, io: ExportIo, versions: ProjectVersions): Promise<ExportResult> {
  const dir = resolve(io.cwd, args.out);
  checkTarget(dir, args.force);
  // --api wins over CLOUDPARTNER_API, which the provider's settings read as cloudpartner:api's fallback.
  const settings = settingsFromEnv({ ...io.env, CLOUDPARTNER_API: args.api ?? apiFromEnv(io.env) });
  const source = offerSource(settings);
  const pub = args.publisherId;
  const ids = args.offers.length > 0 ? args.offers : await call(() => source.list(pub), settings, pub);
  if (ids.length === 0) throw new ExportError(`publisher "${pub}" has no offers to export`, "CPP_EXPORT_NOTHING");
  const offers: ExportedOffer[] = [];
  for (const [i, id] of ids.entries()) {
    const doc = await call(() => source.read(pub, id), settings, pub, id);
    const exported = exportOffer(doc);
    offers.push(exported);
    const pricing = exported.pricing.length;
    io.progress(
      `[${i + 1}/${ids.length}] read ${pub}/${id}: ${exported.definition.plans.length} plans, ${pricing} ` +
        `VmPricing, ${exported.secrets.length} secret fields`,
    );
  }
  const files = generateProject(offers, { publisherId: pub, publish: args.publish, versions, api: settings.api });
  writeProject(dir, files);
  return { dir, api: settings.api, offers, files: Object.keys(files) };
}

/** DIR must be absent, an empty folder, or (with --force) any folder. Checked before any request. */
function checkTarget(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) {
    throw new ExportError(`--out ${dir} exists and is not a folder`, "CPP_EXPORT_TARGET", 2);
  }
  if (!force && readdirSync(dir).length > 0) {
    throw new ExportError(
      `--out ${dir} is not empty; choose another folder, or pass --force to replace the ` + `generated files in it`,
      "CPP_EXPORT_TARGET",
      2,
    );
  }
}

/** CLOUDPARTNER_API's API (`cpp` when unset), checked here so that a bad value reads as a usage error. */
function apiFromEnv(env: NodeJS.ProcessEnv): ProviderSettings["api"] {
  const raw = env.CLOUDPARTNER_API?.trim();
  if (!raw) return "cpp";
  const api = API_NAMES.find((n) => n.toLowerCase() === raw.toLowerCase());
  if (!api) {
    throw new ExportError(`CLOUDPARTNER_API takes cpp or productIngestion; got "${raw}"`, "CPP_EXPORT_USAGE", 2);
  }
  return api;
}

/** Settings from the environment only (no stack config), exactly as the provider resolves them. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): ProviderSettings {
  const missing = CREDENTIAL_ENV.filter((k) => !env[k]?.trim());
  if (!SECRET_ENV.some((k) => env[k]?.trim())) missing.push(SECRET_ENV.join(" or "));
  try {
    return resolveSettings(() => undefined, env);
  } catch (e) {
    if (!(e instanceof ConfigurationError)) throw e;
    const what =
      missing.length > 0 ? `set ${missing.join(", ")} in the environment` : e.message.replace(/^cloudpartner: /, "");
    const service = env.CLOUDPARTNER_API === "productIngestion" ? "Partner Center" : "the Cloud Partner Portal";
    throw new ExportError(`credentials for ${service} are not configured: ${what}`, "CPP_CONFIGURATION");
  }
}

/** Where the offers are read: their ids and each one's Draft as a CPP document, on the API chosen. */
interface OfferSource {
  list(publisherId: string): Promise<string[]>;
  read(publisherId: string, offerId: string): Promise<WireOffer>;
}

function offerSource(s: ProviderSettings): OfferSource {
  if (s.api === "productIngestion") {
    // Read as the lookups read: each product's draft tree through the provider's translation,
    // the definition the Offer compares on that API, so that adopting it writes nothing.
    const reader = readerFor(s);
    return {
      list: async (publisherId) => (await reader.listOffers(publisherId)).map((o) => o.offerId).sort(),
      read: async (publisherId, offerId) => {
        const { offerTypeId, definition } = await reader.getOffer(publisherId, offerId, "draft");
        return { id: offerId, publisherId, offerTypeId, definition };
      },
    };
  }
  const client = clientFor(s);
  return {
    list: async (publisherId) =>
      (await client.listOffers(publisherId))
        .map((o) => o.id)
        .filter((id): id is string => typeof id === "string")
        .sort(),
    read: async (publisherId, offerId) =>
      (await client.getOffer(publisherId, offerId, { includeAllPricing: true })).value as WireOffer,
  };
}

/** One request, with the client's failures said in the terms of this command. */
async function call<T>(fn: () => Promise<T>, s: ProviderSettings, pub: string, offerId?: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isCloudPartnerError(e)) throw e;
    const detail = e.message;
    if (s.api === "productIngestion") piaFailure(e, s, offerId);
    switch (e.code) {
      case "CPP_AUTH_FAILED":
      case "CPP_UNAUTHORIZED":
        throw new ExportError(
          `the credentials were refused (client ${s.clientId}, tenant ${s.tenantId}): ${detail}. ` +
            `Check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or the certificate) and ` +
            `AZURE_AUTHORITY_HOST`,
          e.code,
        );
      case "CPP_FORBIDDEN":
        throw new ExportError(
          `the service principal ${s.clientId} is not registered for publisher "${pub}" ` +
            `(HTTP 403). Fix: ${e.fix ?? "register it as a user of the publisher, or fix --publisher"}`,
          e.code,
        );
      case "CPP_NOT_FOUND":
        if (offerId) {
          const what = `offer "${offerId}" of publisher "${pub}"`;
          throw new ExportError(`${what} was not found (HTTP 404); check --offer`, e.code);
        }
        throw new ExportError(`publisher "${pub}" was not found (HTTP 404); check --publisher`, e.code);
      case "CPP_NETWORK_ERROR":
      case "CPP_TIMEOUT":
        throw new ExportError(
          `cannot reach the Cloud Partner Portal API at ${s.endpoint ?? DEFAULT_ENDPOINT}: ` +
            `${detail}. Check CLOUDPARTNER_ENDPOINT and the network`,
          e.code,
        );
      default:
        throw new ExportError(detail, e.code);
    }
  }
}

/**
 * The failures whose words differ on the Product Ingestion API (its endpoint and variable, an
 * account rather than a publisher); returns for the rest, which read the same on both APIs.
 */
function piaFailure(e: CloudPartnerError, s: ProviderSettings, offerId: string | undefined): void {
  const endpoint = s.productIngestionEndpoint ?? PIA_ENDPOINT;
  switch (e.code) {
    case "CPP_FORBIDDEN":
      throw new ExportError(
        `the service principal ${s.clientId} may not read the products of its Partner Center account ` +
          `(HTTP 403). Fix: ${e.fix ?? "add the application to the Partner Center account, role Manager"}`,
        e.code,
      );
    case "CPP_NOT_FOUND":
      if (offerId) throw new ExportError(`${e.message}; check --offer`, e.code);
      throw new ExportError(
        `the Product Ingestion API at ${endpoint} answered 404 to the product list; ` +
          "check CLOUDPARTNER_PRODUCT_INGESTION_ENDPOINT",
        e.code,
      );
    case "CPP_NETWORK_ERROR":
    case "CPP_TIMEOUT":
      throw new ExportError(
        `cannot reach the Product Ingestion API at ${endpoint}: ${e.message}. ` +
          "Check CLOUDPARTNER_PRODUCT_INGESTION_ENDPOINT and the network",
        e.code,
      );
  }
}

/**
 * Writes the files into a temporary folder beside `dir`, then moves them into place: the whole
 * folder when `dir` does not exist, file by file into an existing one (keeping its other files,
 * such as stack settings).
 */
function writeProject(dir: string, files: Record<string, string>): void {
  const temp = mkdtempSync(join(dirname(dir), `.${basename(dir)}.export-`));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(temp, name), content);
    if (!existsSync(dir)) renameSync(temp, dir);
    else for (const name of Object.keys(files)) renameSync(join(temp, name), join(dir, name));
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function hasImageMap(plan: Record<string, unknown>): boolean {
  return IMAGE_KEYS.some((k) => plan[k] !== undefined);
}

/** The summary printed when the export succeeds. */
export function summarize(result: ExportResult, publish: ExportArgs["publish"]): string {
  const { offers } = result;
  const plans = offers.reduce((n, o) => n + o.definition.plans.length, 0);
  const pricing = offers.reduce((n, o) => n + o.pricing.length, 0);
  const wire = offers.reduce((n, o) => n + o.wirePricing.length, 0);
  const images = offers.reduce((n, o) => n + o.images.reduce((m, p) => m + p.images.length, 0), 0);
  const imagePlans = offers.reduce((n, o) => n + o.definition.plans.filter((p) => hasImageMap(p)).length, 0);
  const lines = [
    `Wrote ${result.dir} (${result.files.join(", ")})`,
    `  offers: ${offers.length} (${offers.map((o) => o.offerId).join(", ")})`,
    `  plans: ${plans}`,
    `  pricing: ${pricing} VmPricing resources; ${wire} plans keep pricing in the Offer`,
    `  images: ${images} VmImageVersion resources; ${imagePlans} plans keep their image map in the Offer`,
  ];
  if (publish !== "none") {
    lines.push(`  publish: an OfferPublish (target ${publish}) per offer — the first \`pulumi up\` publishes`);
  }
  const secrets = offers.flatMap((o) => o.secrets.map((s) => ({ offer: o, s })));
  if (secrets.length === 0) lines.push("  secrets to set: none");
  else {
    lines.push("  secrets to set (pulumi config set --secret <key> <value>):");
    for (const { offer, s } of secrets) {
      lines.push(`    ${s.configKey}   (${offer.publisherId}/${offer.offerId} ${s.path})`);
    }
  }
  const writing = offers.filter((o) => o.secrets.length > 0).map((o) => `${o.publisherId}/${o.offerId}`);
  const write = result.api === "productIngestion" ? "one configure job" : "one PUT";
  const writes =
    writing.length === 0
      ? "nothing"
      : `${write} each of ${writing.join(", ")} (secret fields cannot be compared); nothing else`;
  lines.push(`  first \`pulumi up\` writes: ${writes}`);
  const notes = offers.flatMap((o) => o.notes);
  if (notes.length > 0) {
    lines.push("  not expressed as typed resources / to check:");
    for (const n of notes) lines.push(`    ${n.path}: ${n.why}`);
  }
  lines.push(`Next: cd ${result.dir} && npm install, then follow README.md`);
  return `${lines.join("\n")}\n`;
}
