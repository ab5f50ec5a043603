// SPDX-License-Identifier: Apache-2.0
/**
 * The part of a CPP definition that survives PIA, in one normal form (docs/internals/api-notes.md
 * §P4): what {@link piaToDefinition} reads back from the resources {@link definitionToPia}
 * writes. A handler compares a desired definition with a refreshed one through it. Pure.
 *
 * The normal form of a definition is the definition
 * 1. without every path {@link definitionToPia} reports as a problem or ignores;
 * 2. without what PIA cannot tell from its default: flags set to `false`
 *    (`hideSKUForSolutionTemplate`, the VM properties, `useEnterpriseContract`, `cspOfferOptIn`,
 *    the test drive's `enabled`), empty lists and objects (an empty image map included: a tree
 *    lists no versions alike for a plan with none and for one whose images VmImageVersion owns;
 *    an image's `lunVhdDetails` stays, `[]` when it has no data disk), `leadDestination` `None`,
 *    `osType` `Other`, `showInGui: true`, `deploymentModels` (ARM is the only model) and
 *    `vmImagesArchitecture` (x64);
 * 3. without the secret-named fields of lead configurations (the service reads them masked;
 *    the caller keeps them apart, as the Offer's `secrets`);
 * 4. with one spelling per value: the tables' spellings of `operatingSystemFamily`, `osType`
 *    (`windowsOSType` becomes `osType`), clouds, lead destinations, audience types and VM
 *    property keys; markets upper-case; pricing in the wire form VmPricing writes
 *    (`toWirePricing`: `freeTrialDurationInMonths` always present, currency `USD`); data disks
 *    `{ lun, uri }`; core-VM plans with their `generation` (`"1"` by default).
 */
import { fromWirePricing, toWirePricing } from "../pricing/mapping.js";
import { isNoLeadDestination, leadTargetOf } from "../schema/leads.js";
import { COREVM_OFFER_TYPE, TESTDRIVE_NS } from "../schema/offer-types.js";
import type { OfferDefinition } from "../offer/types.js";
import { isRecord, jsonClone, jsonEqual, type JsonRecord } from "../util/json.js";
import { isSecretKey } from "../util/secrets.js";
import { itemPath, keyPath, prunePaths } from "./reader.js";
import { definitionToPia, namespacesOf } from "./to-pia.js";
import type { DefinitionToPiaInput } from "./types.js";
import {
  AUDIENCE_TYPES,
  CLOUDS,
  COREVM_PROPERTIES,
  GENERATIONS,
  LINUX_OS_TYPES,
  OS_FAMILIES,
  PIA_LEAD_TARGETS,
  VM_PROPERTIES,
  WINDOWS_OS_TYPES,
} from "./vocabulary.js";

/**
 * The supported part of a definition, in the normal form described above: what a round trip
 * through PIA gives back. `known` ids do not matter.
 */
export function supportedDefinition(input: Omit<DefinitionToPiaInput, "known">): OfferDefinition {
  const { problems, ignored } = definitionToPia(input);
  const paths = new Set([...problems.map((p) => p.path), ...ignored]);
  const pruned = prunePaths(jsonClone(input.definition), paths);
  return normalDefinition(isRecord(pruned) ? pruned : {}, input);
}

function normalDefinition(def: JsonRecord, input: Omit<DefinitionToPiaInput, "known">): OfferDefinition {
  const ns = namespacesOf(input.offerTypeId);
  const isCore = input.offerTypeId === COREVM_OFFER_TYPE;
  const offer = isRecord(def.offer) ? normalOffer(def.offer, ns.listing) : {};
  const plans = Array.isArray(def.plans) ? def.plans.filter(isRecord).map((p) => normalPlan(p, ns.plan, isCore)) : [];
  const displayText = typeof def.displayText === "string" ? def.displayText : input.offerId;
  return { displayText, offer, plans } as OfferDefinition;
}

const isEmpty = (v: unknown) => (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);

function normalOffer(offer: JsonRecord, ns: string): JsonRecord {
  const out: JsonRecord = {};
  const configs = new Set(PIA_LEAD_TARGETS.map((t) => ns + t.cppConfig));
  for (const [key, raw] of Object.entries(offer)) {
    let value = raw;
    if (value === undefined) continue;
    if (key === ns + "leadDestination" && typeof value === "string") {
      if (isNoLeadDestination(value)) continue;
      const target = leadTargetOf(value);
      value = PIA_LEAD_TARGETS.find((t) => t.cppConfig === target?.config)?.cppDestination ?? value;
    }
    if (configs.has(key) && isRecord(value)) value = withoutSecrets(jsonClone(value));
    if (key === ns + "categoryMap" && Array.isArray(value)) {
      value = value.map((entry) =>
        isRecord(entry) ? Object.fromEntries(Object.entries(entry).filter(([, v]) => !isEmpty(v))) : entry,
      );
    }
    if (
      value === false &&
      [ns + "useEnterpriseContract", ns + "cspOfferOptIn", TESTDRIVE_NS + "enabled"].includes(key)
    ) {
      continue;
    }
    if (isEmpty(value)) continue;
    out[key] = value;
  }
  return out;
}

function normalPlan(plan: JsonRecord, ns: string, isCore: boolean): JsonRecord {
  const out: JsonRecord = {};
  const properties = isCore ? COREVM_PROPERTIES : VM_PROPERTIES;
  const family =
    typeof plan[ns + "operatingSystemFamily"] === "string"
      ? OS_FAMILIES.toPia(plan[ns + "operatingSystemFamily"] as string)
      : undefined;
  const imageKey = ns + (isCore ? "vmImagesPublicAzure" : "vmImages");
  for (const [key, raw] of Object.entries(plan)) {
    let k = key;
    let value = raw;
    if (value === undefined) continue;
    const suffix = key.startsWith(ns) ? key.slice(ns.length) : undefined;
    const property = suffix && properties.find(([pia]) => pia.toLowerCase() === suffix.toLowerCase());
    if (property) {
      if (value !== true) continue;
      k = ns + property[1];
    } else if (key === "regions" && Array.isArray(value)) {
      value = value.map((r) => String(r).toUpperCase());
    } else if (suffix === "cloudAvailability" && Array.isArray(value)) {
      const clouds: string[] = [];
      for (const c of value) {
        const cloud = CLOUDS.toCpp(CLOUDS.toPia(String(c)) ?? "");
        if (cloud !== undefined && !clouds.includes(cloud)) clouds.push(cloud);
      }
      value = clouds;
    } else if (suffix === "operatingSystemFamily" && typeof value === "string") {
      value = family ? OS_FAMILIES.toCpp(family) : value;
    } else if ((suffix === "osType" || suffix === "windowsOSType") && typeof value === "string") {
      const table = family === "windows" ? WINDOWS_OS_TYPES : LINUX_OS_TYPES;
      const type = table.toPia(value);
      if (type === "other" || type === undefined) continue;
      k = ns + "osType";
      value = table.toCpp(type);
    } else if (suffix === "openPorts" && Array.isArray(value)) {
      value = value.map((p) => (isRecord(p) ? { ...p, protocol: String(p.protocol).toLowerCase() } : p));
    } else if (suffix === "hideSKUForSolutionTemplate" && value === false) {
      continue;
    } else if (suffix === "deploymentModels" || suffix === "vmImagesArchitecture") {
      continue;
    } else if (suffix === "generation") {
      value = String(value);
    } else if (key === "restrictedAudience" && isRecord(value)) {
      const entries = Array.isArray(value.manualEntries) ? value.manualEntries.filter(isRecord) : [];
      if (entries.length === 0) continue;
      value = {
        manualEntries: entries.map((e) => ({
          type: AUDIENCE_TYPES.toCpp(AUDIENCE_TYPES.toPia(String(e.type)) ?? "") ?? e.type,
          id: e.id,
          ...(e.description !== undefined ? { description: e.description } : {}),
        })),
      };
    } else if (key === "virtualMachinePricing") {
      const spec = fromWirePricing(value);
      if (!spec) continue;
      value = toWirePricing(spec);
    } else if (key === imageKey && isRecord(value)) {
      value = Object.fromEntries(Object.entries(value).map(([version, entry]) => [version, normalImage(entry)]));
    }
    if (isEmpty(value)) continue;
    out[k] = value;
  }
  if (isCore && out[ns + "generation"] === undefined) out[ns + "generation"] = GENERATIONS[0][0];
  return out;
}

function normalImage(entry: unknown): JsonRecord {
  const e = isRecord(entry) ? entry : {};
  const disks = Array.isArray(e.lunVhdDetails) ? e.lunVhdDetails.filter(isRecord) : [];
  return {
    osVhdUrl: e.osVhdUrl,
    lunVhdDetails: disks.map((d) => ({ lun: d.lun, uri: d.uri ?? d.lunVhdUrl })),
    ...(e.showInGui === false ? { showInGui: false } : {}),
  };
}

function withoutSecrets(config: JsonRecord): JsonRecord {
  for (const key of Object.keys(config)) {
    if (isSecretKey(key)) delete config[key];
    else if (isRecord(config[key])) withoutSecrets(config[key] as JsonRecord);
  }
  return config;
}

/**
 * Whether two definitions in normal form hold the same content. Plans are compared by plan id,
 * not by position: a resource tree's order is not stable (§P0), so neither is the order of the
 * plans read from it.
 */
export function sameDefinitionContent(a: OfferDefinition, b: OfferDefinition): boolean {
  return definitionDifferences(a, b).length === 0;
}

/**
 * The paths where two definitions in normal form differ (plans by plan id, in any order), each
 * with both values, at the outermost level where they differ in kind: for messages and tests.
 */
export function definitionDifferences(
  a: OfferDefinition,
  b: OfferDefinition,
): Array<{ path: string; left: unknown; right: unknown }> {
  const out: Array<{ path: string; left: unknown; right: unknown }> = [];
  const plansById = (d: OfferDefinition): JsonRecord =>
    Object.fromEntries((Array.isArray(d.plans) ? d.plans : []).map((p) => [String(p.planId), p]));
  diff(a.displayText, b.displayText, "definition.displayText", undefined, out);
  diff(a.offer ?? {}, b.offer ?? {}, "definition.offer", undefined, out);
  const left = plansById(a);
  const right = plansById(b);
  for (const id of new Set([...Object.keys(left), ...Object.keys(right)])) {
    diff(left[id], right[id], itemPath("definition.plans", id), undefined, out);
  }
  return out;
}

const BRACKETED = (key: string | undefined) =>
  key !== undefined && (key.endsWith(".vmImages") || key.endsWith(".vmImagesPublicAzure") || key === "individually");

function diff(
  l: unknown,
  r: unknown,
  path: string,
  key: string | undefined,
  out: Array<{ path: string; left: unknown; right: unknown }>,
): void {
  if (jsonEqual(l, r)) return;
  if (isRecord(l) && isRecord(r)) {
    for (const k of new Set([...Object.keys(l), ...Object.keys(r)])) {
      diff(l[k], r[k], BRACKETED(key) ? itemPath(path, k) : keyPath(path, k), k, out);
    }
  } else if (Array.isArray(l) && Array.isArray(r) && l.length === r.length) {
    l.forEach((item, i) => diff(item, r[i], itemPath(path, i), undefined, out));
  } else out.push({ path, left: l, right: r });
}

/** Re-exported for tests and messages: the path helpers problems use. */
export { itemPath, keyPath };
