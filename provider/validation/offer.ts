// SPDX-License-Identifier: Apache-2.0
import { VM_CATEGORIES } from "../schema/categories.js";
import { isMarketCode } from "../schema/markets.js";
import {
  LISTING_MAX_LENGTH,
  MARKETPLACE_NS,
  REQUIRED_VM_LISTING_KEYS,
  VM_NS,
  VM_OFFER_TYPE,
} from "../schema/offer-types.js";
import { isRecord, pathKey, type JsonRecord } from "../util/json.js";
import { isSecretKey } from "../util/secrets.js";
import { containsUnknown, UNKNOWN } from "../util/unknown.js";
import { describe, Failures, isHttpsUrl, type InputFailure } from "./failure.js";

const ID_RULE = "at most 50 characters of lowercase letters, digits and '-', not ending with '-'";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DISK_VERSION = /^\d+\.\d+\.\d+$/;
const PRICING_KEYS = ["virtualMachinePricing", "virtualMachinePricingV2"];

/** True for an offer or plan id the service accepts (docs/internals/api-notes.md §5.1, §5.3). */
export function isValidResourceId(id: string, allowUnderscore = false): boolean {
  const re = allowUnderscore ? /^[a-z0-9][a-z0-9_-]{0,49}$/ : /^[a-z0-9][a-z0-9-]{0,49}$/;
  return re.test(id) && !id.endsWith("-");
}

/**
 * Validates the Offer resource's inputs without I/O. Every failure names the property path and
 * says how to fix it. Values unknown during preview are skipped, never failed.
 */
export function validateOfferInputs(inputs: JsonRecord): InputFailure[] {
  const f = new Failures();
  checkPublisherId(f, "publisherId", inputs.publisherId);
  checkId(f, "offerId", inputs.offerId, "offer");
  const type = inputs.offerTypeId;
  if (type !== UNKNOWN && (typeof type !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(type))) {
    f.add("offerTypeId", `offerTypeId must be an offer type id such as "${VM_OFFER_TYPE}"; got ${describe(type)}`);
  }
  if (
    inputs.concurrency !== undefined &&
    inputs.concurrency !== UNKNOWN &&
    inputs.concurrency !== "optimistic" &&
    inputs.concurrency !== "lastWriterWins"
  ) {
    f.add(
      "concurrency",
      `concurrency must be "optimistic" (default: updates fail on a concurrent change) or "lastWriterWins"; got ${describe(inputs.concurrency)}`,
    );
  }
  checkDefinition(f, inputs.definition, type === VM_OFFER_TYPE || type === undefined);
  checkSecrets(f, inputs.secrets);
  return f.list;
}

/** Checks a publisher id: the namespace in every URL. */
export function checkPublisherId(f: Failures, path: string, value: unknown): void {
  if (value === UNKNOWN) return;
  if (typeof value !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/.test(value)) {
    f.add(
      path,
      `${path} must be your publisher id as shown in the Cloud Partner Portal (letters, digits, '.', '_', '-'); got ${describe(value)}`,
    );
  }
}

/** Checks an offer or plan id against the service's id rule. */
export function checkId(f: Failures, path: string, value: unknown, what: "offer" | "plan"): void {
  if (value === UNKNOWN) return;
  if (typeof value !== "string" || !isValidResourceId(value, what === "plan")) {
    f.add(
      path,
      `${path} must be ${ID_RULE}${what === "plan" ? " ('_' is tolerated)" : ""}; got ${describe(value)}. It cannot change once the ${what} is published.`,
    );
  }
}

function checkDefinition(f: Failures, def: unknown, isVm: boolean): void {
  if (def === UNKNOWN) return;
  if (!isRecord(def)) {
    f.add("definition", `definition must be an object { displayText, offer, plans }; got ${describe(def)}`);
    return;
  }
  const text = def.displayText;
  if (text !== UNKNOWN && (typeof text !== "string" || text.trim() === "" || text.length > 50)) {
    f.add(
      "definition.displayText",
      `definition.displayText must be the offer name, 1 to 50 characters; got ${describe(text)}`,
    );
  }
  for (const key of Object.keys(def)) {
    if (!["displayText", "offer", "plans"].includes(key) && def[key] !== undefined) {
      f.add(
        pathKey("definition", key),
        `definition.${key} is not part of an offer definition: use displayText, offer and plans (read-only fields such as status or version are set by the service)`,
      );
    }
  }
  if (def.offer !== UNKNOWN) {
    if (!isRecord(def.offer))
      f.add(
        "definition.offer",
        `definition.offer must be an object of namespaced listing keys such as "${MARKETPLACE_NS}title"; got ${describe(def.offer)}`,
      );
    else checkListing(f, def.offer, isVm);
  }
  if (def.plans !== UNKNOWN) {
    if (!Array.isArray(def.plans))
      f.add(
        "definition.plans",
        `definition.plans must be an array of plans, each with a planId; got ${describe(def.plans)}`,
      );
    else checkPlans(f, def.plans, isVm);
  }
  walkValues(f, "definition", def);
}

function checkListing(f: Failures, offer: JsonRecord, isVm: boolean): void {
  const base = "definition.offer";
  if (isVm) {
    for (const key of REQUIRED_VM_LISTING_KEYS) {
      const v = offer[key];
      if (v === UNKNOWN) continue;
      if (typeof v !== "string" || v.trim() === "") {
        f.add(
          pathKey(base, key),
          `${pathKey(base, key)} is required for a VM offer to be published; set it to a non-empty ${key.endsWith("Logo") || key.endsWith("URL") ? "https URL" : "text"}`,
        );
      }
    }
  }
  for (const [key, max] of Object.entries(LISTING_MAX_LENGTH)) {
    const v = offer[key];
    if (typeof v === "string" && v !== UNKNOWN && v.length > max) {
      f.add(
        pathKey(base, key),
        `${pathKey(base, key)} is ${v.length} characters; the marketplace allows at most ${max}`,
      );
    }
  }
  const subs = offer[MARKETPLACE_NS + "allowedSubscriptions"];
  if (subs !== undefined && !containsUnknown(subs)) {
    const p = pathKey(base, MARKETPLACE_NS + "allowedSubscriptions");
    if (!Array.isArray(subs) || subs.length > 100 || subs.some((s) => typeof s !== "string" || !GUID.test(s))) {
      f.add(p, `${p} must list 1 to 100 Azure subscription ids (GUIDs) that may see the preview`);
    }
  }
  const categories = offer[MARKETPLACE_NS + "categoryMap"];
  if (categories !== undefined && !containsUnknown(categories))
    checkCategories(f, pathKey(base, MARKETPLACE_NS + "categoryMap"), categories);
}

function checkCategories(f: Failures, path: string, value: unknown): void {
  if (!Array.isArray(value) || value.length > 2) {
    f.add(path, `${path} must be an array of at most 2 entries { categoryL1, "categoryL2-<l1>": [...] }`);
    return;
  }
  value.forEach((entry, i) => {
    const p = pathKey(path, i);
    const l1 = isRecord(entry) ? entry.categoryL1 : undefined;
    if (typeof l1 !== "string" || !VM_CATEGORIES[l1]) {
      f.add(
        `${p}.categoryL1`,
        `${p}.categoryL1 must be one of ${Object.keys(VM_CATEGORIES).join(", ")}; got ${describe(l1)}`,
      );
      return;
    }
    const l2Key = `categoryL2-${l1}`;
    const l2 = (entry as JsonRecord)[l2Key];
    const allowed = VM_CATEGORIES[l1];
    if (
      l2 !== undefined &&
      (!Array.isArray(l2) || l2.length > 2 || l2.some((c) => typeof c !== "string" || !allowed.includes(c)))
    ) {
      f.add(pathKey(p, l2Key), `${pathKey(p, l2Key)} must list at most 2 of ${allowed.join(", ")}`);
    }
  });
}

function checkPlans(f: Failures, plans: unknown[], isVm: boolean): void {
  const seen = new Map<string, number>();
  plans.forEach((plan, i) => {
    const p = `definition.plans[${i}]`;
    if (plan === UNKNOWN) return;
    if (!isRecord(plan)) {
      f.add(p, `${p} must be an object with at least planId; got ${describe(plan)}`);
      return;
    }
    checkId(f, `${p}.planId`, plan.planId, "plan");
    if (typeof plan.planId === "string" && plan.planId !== UNKNOWN) {
      const prior = seen.get(plan.planId);
      if (prior !== undefined)
        f.add(
          `${p}.planId`,
          `${p}.planId "${plan.planId}" is already used by definition.plans[${prior}]; plan ids must be unique within an offer`,
        );
      else seen.set(plan.planId, i);
    }
    const regions = plan.regions;
    if (regions !== undefined && !containsUnknown(regions)) {
      if (!Array.isArray(regions) || regions.some((r) => typeof r !== "string" || !isMarketCode(r))) {
        f.add(
          `${p}.regions`,
          `${p}.regions must list market codes (ISO 3166-1 alpha-2, upper case) such as "US", "GB"`,
        );
      }
    } else if (regions === undefined && isVm) {
      f.add(`${p}.regions`, `${p}.regions is required: list the markets where the plan is sold, e.g. ["US", "GB"]`);
    }
    for (const key of PRICING_KEYS) {
      const pricing = plan[key];
      if (
        pricing !== undefined &&
        !containsUnknown(pricing) &&
        (!isRecord(pricing) || typeof pricing.isByol !== "boolean")
      ) {
        f.add(
          pathKey(p, key),
          `${pathKey(p, key)} must be an object with isByol (the service's pricing form; a VmPricing writes it for you), or be left out so a VmPricing resource can own this plan's pricing`,
        );
      }
    }
    const images = plan[VM_NS + "vmImages"];
    if (images !== undefined && !containsUnknown(images)) checkImages(f, pathKey(p, VM_NS + "vmImages"), images);
    const sizes = plan[VM_NS + "recommendedVMSizes"];
    if (Array.isArray(sizes) && sizes.length > 6) {
      f.add(
        pathKey(p, VM_NS + "recommendedVMSizes"),
        `${pathKey(p, VM_NS + "recommendedVMSizes")} lists ${sizes.length} sizes; at most 6 are allowed`,
      );
    }
  });
}

function checkImages(f: Failures, path: string, images: unknown): void {
  if (!isRecord(images)) {
    f.add(path, `${path} must map disk versions ("1.0.0") to { osVhdUrl, lunVhdDetails }`);
    return;
  }
  const versions = Object.keys(images);
  if (versions.length > 8)
    f.add(path, `${path} has ${versions.length} disk versions; a plan keeps at most 8 — remove the oldest`);
  for (const version of versions) {
    if (!DISK_VERSION.test(version)) {
      f.add(
        pathKey(path, version),
        `${pathKey(path, version)}: disk versions must be X.Y.Z integers such as "1.0.0", and must increase`,
      );
    }
  }
}

/** URLs must be https; secret values must not sit in the plain definition. */
function walkValues(f: Failures, path: string, value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkValues(f, pathKey(path, i), v));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const p = pathKey(path, key);
    if (isSecretKey(key) && v !== undefined && v !== "") {
      f.add(
        p,
        `${p} is a secret field: the service never returns it, and it would be stored in plain text. Move it to secrets["${secretPathOf(p)}"] (a pulumi.secret)`,
      );
      continue;
    }
    if (typeof v === "string" && v !== "" && v !== UNKNOWN && /(url|uri|logo)$/i.test(key) && !isHttpsUrl(v)) {
      f.add(p, `${p} must be an https URL the service can read; got ${describe(v)}`);
    }
    walkValues(f, p, v);
  }
}

/** Converts `definition.offer["a.b"].c` into the `secrets` path form `offer/a.b/c`. */
function secretPathOf(propertyPath: string): string {
  const parts: string[] = [];
  const re = /\.([A-Za-z_$][\w$]*)|\[("(?:[^"\\]|\\.)*"|\d+)\]/g;
  let m: RegExpExecArray | null;
  const rest = propertyPath.replace(/^definition/, "");
  while ((m = re.exec(rest))) parts.push(m[1] ?? (m[2].startsWith('"') ? JSON.parse(m[2]) : m[2]));
  return parts.join("/");
}

function checkSecrets(f: Failures, secrets: unknown): void {
  if (secrets === undefined || secrets === UNKNOWN) return;
  if (!isRecord(secrets)) {
    f.add(
      "secrets",
      `secrets must map paths inside definition (e.g. "offer/${MARKETPLACE_NS}tableLeadConfiguration/storageAccountConnectionString") to secret strings`,
    );
    return;
  }
  for (const [path, value] of Object.entries(secrets)) {
    const p = pathKey("secrets", path);
    const segments = path.split("/");
    if (
      (segments[0] !== "offer" && segments[0] !== "plans") ||
      segments.length < 2 ||
      !isSecretKey(segments[segments.length - 1])
    ) {
      f.add(
        p,
        `${p}: a secret path starts with "offer/" or "plans/<planId>/" and ends with a secret field name (…password, …secret, …connectionString)`,
      );
    }
    if (value !== UNKNOWN && typeof value !== "string") f.add(p, `${p} must be a string`);
  }
}
