// SPDX-License-Identifier: Apache-2.0
import { jsonEqual } from "../util/json.js";
import { mergeSas } from "../util/sas.js";
import { containsUnknown } from "../util/unknown.js";
import { contentFingerprint, delegatedParts } from "./document.js";
import type { OfferDefinition, OfferInputs, OfferOutputs } from "./types.js";

/** Identifiers that cannot change in place (docs/internals/api-notes.md §5.8): a change replaces the resource. */
export const OFFER_REPLACE_KEYS = ["publisherId", "offerId", "offerTypeId"] as const;

/** The diff result the dynamic provider returns (subset of Pulumi's DiffResult). */
export interface ResourceDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace?: boolean;
}

/**
 * Compares the Offer's last outputs with new inputs. Output-only fields (etag, version, status,
 * changedTime) never count; pricing of plans left to VmPricing is ignored; `adopt` only matters
 * at creation. Unknown values (preview) count as a possible change, never as an error. The
 * definition is compared through fingerprints of its owned content (outputs do not repeat it).
 */
export function diffOffer(olds: OfferOutputs, news: OfferInputs, providerVersion?: string): ResourceDiff {
  const replaces = OFFER_REPLACE_KEYS.filter(
    (k) => news[k] !== undefined && !containsUnknown(news[k]) && olds[k] !== news[k],
  );
  if (replaces.length > 0) return { changes: true, replaces: [...replaces] };
  const changes =
    OFFER_REPLACE_KEYS.some((k) => containsUnknown(news[k])) ||
    containsUnknown(news.definition) ||
    containsUnknown(news.secrets) ||
    containsUnknown(news.sasSignatures) ||
    !definitionUnchanged(olds, news) ||
    (olds.concurrency ?? "optimistic") !== (news.concurrency ?? "optimistic") ||
    containsUnknown(news.account) ||
    olds.account !== news.account ||
    (providerVersion !== undefined && olds.providerVersion !== providerVersion);
  return { changes, replaces: [] };
}

/** True when the Draft already holds what `news` asks for, so update needs no request. */
export function definitionUnchanged(olds: OfferOutputs, news: OfferInputs): boolean {
  return (
    contentFingerprint(sentDefinition(news)) === lastDraftFingerprint(olds) &&
    (news.secretsRevision ?? 0) === (olds.secretsRevision ?? 0)
  );
}

/**
 * The fingerprint of the Draft's owned content as last written or read. Outputs store it only
 * when it differs from `fingerprint` (see {@link storedOutputs}); state written by 0.1.0, whose
 * outputs repeated the definition, has it computed from that definition.
 */
export function lastDraftFingerprint(olds: OfferOutputs): string | undefined {
  if (olds.draftFingerprint) return olds.draftFingerprint;
  if (olds.definition) return contentFingerprint(olds.definition, olds.delegated ?? delegatedParts(olds.definition));
  return olds.fingerprint;
}

/**
 * Outputs as the Offer stores them: without `draftFingerprint` when it equals `fingerprint` (no
 * SAS signature, no drift), 80 bytes less in every checkpoint entry.
 */
export function storedOutputs(outs: OfferOutputs): OfferOutputs {
  if (outs.draftFingerprint === undefined || outs.draftFingerprint !== outs.fingerprint) return outs;
  const { draftFingerprint: _same, ...rest } = outs;
  return rest;
}

/** The definition as sent: SAS signatures put back in place of the placeholders. */
export function sentDefinition(i: Pick<OfferInputs, "definition" | "sasSignatures">): OfferDefinition {
  return mergeSas(i.definition, i.sasSignatures);
}

/**
 * The `secretsRevision` that check gives new inputs: one more than the old inputs' when
 * `secrets` changed. Outputs hold neither the secrets nor a hash of them (a hash could give a
 * short secret away, and Pulumi's `--debug` output prints every output), so check — the one
 * step that sees the old inputs — turns a change of secrets into a change diff can see.
 */
export function nextSecretsRevision(olds: Partial<OfferInputs>, news: Partial<OfferInputs>): number | undefined {
  const prior = typeof olds.secretsRevision === "number" ? olds.secretsRevision : 0;
  if (Object.keys(olds).length === 0) return undefined;
  const next = jsonEqual(olds.secrets ?? {}, news.secrets ?? {}) ? prior : prior + 1;
  return next === 0 ? undefined : next;
}

/**
 * The inputs a refresh hands back when the Draft drifted: the remote definition (SAS signatures
 * split off) with the small inputs state keeps. The secrets are not in outputs, so not here: the
 * next check sees them as changed and the update that corrects the drift writes them again.
 */
export function driftedInputs(
  props: OfferOutputs,
  offerTypeId: string,
  seen: { value: OfferDefinition; signatures: OfferInputs["sasSignatures"] },
): OfferInputs {
  return {
    publisherId: props.publisherId,
    offerId: props.offerId,
    offerTypeId,
    definition: seen.value,
    sasSignatures: seen.signatures,
    ...(props.secretsRevision !== undefined ? { secretsRevision: props.secretsRevision } : {}),
    ...(props.adopt !== undefined ? { adopt: props.adopt } : {}),
    ...(props.concurrency ? { concurrency: props.concurrency } : {}),
    ...(props.account ? { account: props.account } : {}),
  };
}
