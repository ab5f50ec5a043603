// SPDX-License-Identifier: Apache-2.0
/**
 * The Offer resource on the Product Ingestion API (`cloudpartner:api: productIngestion`,
 * docs/internals/api-notes.md §P4, §P6). The definition stays the CPP one; pia-offer/ translates
 * it. PIA has no ETag, so ownership is kept as far as the service allows:
 * - writes to one product from this process run one at a time ({@link productLock});
 * - before a write the draft is read and compared with what state last saw (a change outside
 *   Pulumi fails as CPP_CHANGED_OUTSIDE unless `concurrency: "lastWriterWins"`);
 * - after the configure job the draft is read again, and one that does not hold what was written
 *   (another writer got in between) fails as CPP_LOST_UPDATE.
 * What stays open: a writer outside this process that writes between that read and the job is
 * seen by the read after the job, not prevented.
 */
import { driftedInputs, sentDefinition, storedOutputs } from "../offer/diff.js";
import {
  buildPutDocument,
  contentFingerprint,
  delegatedParts,
  offerFingerprint,
  type DelegatedParts,
  type WireOffer,
} from "../offer/document.js";
import type { OfferDefinition, OfferInputs, OfferOutputs } from "../offer/types.js";
import {
  comparableDefinition,
  definitionDifferences,
  definitionToPia,
  knownIdsOf,
  piaDraftFingerprint,
  PRODUCT_TYPES,
  supportedDefinition,
  type PiaOfferTypeId,
  type TranslationProblem,
} from "../pia-offer/index.js";
import { valueAt } from "../pia-offer/reader.js";
import { sameFingerprint } from "../util/fingerprint.js";
import { containsUnknown } from "../util/unknown.js";
import { splitSas } from "../util/sas.js";
import type { InputFailure } from "../validation/failure.js";
import { piaClient, settings } from "./context.js";
import { isPiaOfferType, offerTypeOfProduct, productLock, readDraft, type DraftRead } from "./pia-draft.js";
import { describeFailure, ResourceError } from "./errors.js";
import { info, warn } from "./log.js";
import { PROVIDER_VERSION } from "./version.js";

/**
 * check on the Product Ingestion API: every part of the definition PIA cannot hold, each naming
 * its path, why, and what to do. Values unknown at preview are left to the update.
 */
export function piaInputFailures(inputs: Record<string, unknown>): InputFailure[] {
  const offerTypeId = inputs.offerTypeId;
  if (containsUnknown(offerTypeId) || containsUnknown(inputs.offerId)) return [];
  if (!isPiaOfferType(offerTypeId)) {
    return [
      {
        property: "offerTypeId",
        reason:
          `the Product Ingestion API back end manages ${Object.keys(PRODUCT_TYPES).join(" and ")} offers, not ` +
          `"${String(offerTypeId)}"; manage this offer with cloudpartner:api "cpp" (in an account of its own if ` +
          "the stack's other offers use the Product Ingestion API)",
      },
    ];
  }
  if (typeof inputs.offerId !== "string") return [];
  const { problems } = definitionToPia({
    offerId: inputs.offerId,
    offerTypeId,
    definition: inputs.definition as never,
  });
  return problems
    .filter((p) => !containsUnknown(valueAt(inputs.definition, p.path)))
    .map((p) => ({ property: p.path, reason: problemText(p) }));
}

function problemText(p: TranslationProblem): string {
  return `${p.reason} (cloudpartner:api is "productIngestion"); ${p.fix}`;
}

/**
 * The fingerprint of the draft an Offer's inputs make, in the form a PIA read gives
 * (pia-offer/draft.ts); undefined for offer types PIA does not translate. Both back ends store
 * it, so a stack that moves from CPP to PIA keeps its outside-change check.
 */
export function piaFingerprintOfInputs(inputs: OfferInputs): string | undefined {
  if (!isPiaOfferType(inputs.offerTypeId)) return undefined;
  return fingerprintOf(sendable(inputs), inputs, inputs.offerTypeId, delegatedParts(inputs.definition));
}

/**
 * The same fingerprint of a definition read through CPP (normal form, SAS signatures in place),
 * for a refresh on CPP that saw drift.
 */
export function piaFingerprintOfRead(
  definition: OfferDefinition,
  ref: { offerId: string; offerTypeId?: string },
  delegated: DelegatedParts,
): string | undefined {
  return isPiaOfferType(ref.offerTypeId) ? fingerprintOf(definition, ref, ref.offerTypeId, delegated) : undefined;
}

/** The Offer's id on PIA as on CPP: `publisherId/offerId`. */
function idOf(i: { publisherId: string; offerId: string }): string {
  return `${i.publisherId}/${i.offerId}`;
}

/** create: one configure job for the whole offer; `adopt: true` takes over an existing product. */
export async function create(inputs: OfferInputs): Promise<{ id: string; outs: OfferOutputs }> {
  const name = `Offer ${idOf(inputs)}`;
  const offerTypeId = piaOfferType(inputs, name);
  return productLock(inputs.account, inputs.offerId, async () => {
    try {
      const existing = await readDraft(inputs, offerTypeId);
      if (!existing) return { id: idOf(inputs), outs: await write(inputs, offerTypeId, name) };
      const wanted = fingerprintOf(sendable(inputs), inputs, offerTypeId, delegatedParts(inputs.definition));
      const held = fingerprintOf(existing.definition, inputs, offerTypeId, delegatedParts(inputs.definition));
      if (held === wanted && !inputs.secrets) {
        info(
          inputs.adopt
            ? `${name}: adopted; the offer already matches the definition, nothing written.`
            : `${name}: the product already holds this definition (an earlier run that stopped before it recorded the offer?); taken over without writing.`,
        );
        return { id: idOf(inputs), outs: outputs(inputs, offerTypeId, existing) };
      }
      if (!inputs.adopt) {
        throw new ResourceError(
          `${name} already exists in Partner Center (product ${existing.productId}). To manage it with Pulumi, set \`adopt: true\` on this Offer: the next \`pulumi up\` reads it, prints what your definition changes, and writes it.`,
          "CPP_OFFER_EXISTS",
        );
      }
      const changes = changedPaths(existing.definition, sendable(inputs), inputs, offerTypeId);
      info(
        `${name}: adopting the existing offer; this program changes ${changes.length > 0 ? changes.join(", ") : "secret fields only"}.`,
      );
      return { id: idOf(inputs), outs: await write(inputs, offerTypeId, name, existing) };
    } catch (e) {
      throw describeFailure(name, e);
    }
  });
}

/**
 * update: read the draft, compare it with what state last saw, write what changed in one
 * configure job, and read again to confirm it holds what was written.
 */
export async function update(id: string, olds: OfferOutputs, news: OfferInputs): Promise<{ outs: OfferOutputs }> {
  const name = `Offer ${id}`;
  const offerTypeId = piaOfferType(news, name);
  return productLock(news.account, news.offerId, async () => {
    try {
      const current = await readDraft(news, offerTypeId, olds.productId);
      if (!current) {
        throw new ResourceError(
          `${name} no longer exists in Partner Center (or the principal cannot see it). Run \`pulumi refresh\` to drop it from the stack, then \`pulumi up\` to create it again.`,
          "CPP_OFFER_NOT_FOUND",
        );
      }
      const delegated = delegatedParts(news.definition);
      const held = fingerprintOf(current.definition, news, offerTypeId, delegated);
      const wanted = fingerprintOf(sendable(news, current), news, offerTypeId, delegated);
      if (held === wanted && (news.secretsRevision ?? 0) === (olds.secretsRevision ?? 0)) {
        // An earlier update whose job ended after its wait did (a deadline), or an edit that
        // already made the change: nothing to write.
        info(`${name}: the draft already holds this definition; nothing written.`);
        return { outs: outputs(news, offerTypeId, current) };
      }
      if (news.concurrency !== "lastWriterWins") {
        const seen = olds.piaDraftFingerprint;
        const seenNow = fingerprintOf(current.definition, news, offerTypeId, olds.delegated ?? delegated);
        if (seen === undefined) {
          info(
            `${name}: state written by an older pulumi-cloudpartner holds no fingerprint to compare the draft with; written without the outside-change check.`,
          );
        } else if (!sameFingerprint(seen, seenNow)) {
          throw new ResourceError(
            `${name} changed outside Pulumi since it was last read (the draft differs from what this Offer last wrote or read; the Product Ingestion API has no ETag, so this is checked by reading). Run \`pulumi refresh\` to take in the change, then \`pulumi up\` to apply your definition over it; or set concurrency: "lastWriterWins" on the Offer to overwrite without this check.`,
            "CPP_CHANGED_OUTSIDE",
          );
        }
      }
      return { outs: await write(news, offerTypeId, name, current) };
    } catch (e) {
      throw describeFailure(name, e);
    }
  });
}

/**
 * read (refresh) through PIA: the draft's resource tree, compared with what state last saw in
 * the normal form. Drift returns the remote definition as inputs, as on CPP; a vanished product
 * returns an empty id.
 */
export async function read(
  id: string,
  props: OfferOutputs,
): Promise<{ id: string; props?: OfferOutputs; inputs?: OfferInputs }> {
  const name = `Offer ${id}`;
  const offerTypeId = piaOfferType(props, name);
  try {
    const current = await readDraft(props, offerTypeId, props.productId);
    if (!current) return { id: "" };
    reportUnreadable(name, current.problems);
    const delegated = props.delegated ?? { pricing: [] };
    const held = fingerprintOf(current.definition, props, offerTypeId, delegated);
    const ids = { productId: current.productId, planIds: current.planIds };
    const seen = props.piaDraftFingerprint;
    if (sameFingerprint(seen, held) || seen === undefined) {
      if (seen === undefined) {
        info(
          `${name}: state from an older pulumi-cloudpartner holds no fingerprint of the draft; what Partner Center holds now is taken as what this Offer last saw.`,
        );
      }
      // The stored form is kept when it says the same (the full form of earlier builds): a refresh shows no change.
      return { id, props: storedOutputs({ ...props, ...ids, piaDraftFingerprint: seen ?? held }) };
    }
    const split = splitSas(current.definition);
    const outs: OfferOutputs = {
      ...props,
      ...ids,
      piaDraftFingerprint: held,
      draftFingerprint: contentFingerprint(current.definition, delegated),
    };
    const inputs = driftedInputs(props, offerTypeId, split);
    return { id, props: storedOutputs(outs), inputs };
  } catch (e) {
    throw describeFailure(name, e);
  }
}

/** `Offer.get` through PIA: the whole draft as outputs and inputs, nothing managed or written. */
export async function lookup(
  ref: { publisherId: string; offerId: string },
  account: string | undefined,
  offerTypeHint?: string,
): Promise<{ id: string; props: OfferOutputs; inputs: OfferInputs } | undefined> {
  const pia = piaClient(account);
  const product = await pia.findProduct(ref.offerId);
  if (!product) return undefined;
  const offerTypeId = offerTypeOfProduct(product.type) ?? (isPiaOfferType(offerTypeHint) ? offerTypeHint : undefined);
  if (!offerTypeId) {
    throw new ResourceError(
      `Offer ${idOf(ref)} is a Partner Center product of type "${product.type}", which the Product Ingestion API back end does not translate; read it with cloudpartner:api "cpp".`,
      "CPP_API_UNSUPPORTED",
    );
  }
  const current = await readDraft({ ...ref, account }, offerTypeId, product.id);
  if (!current) return undefined;
  reportUnreadable(`Offer ${idOf(ref)}`, current.problems);
  const delegated: DelegatedParts = { pricing: [] };
  const split = splitSas(current.definition);
  const inputs: OfferInputs = {
    publisherId: ref.publisherId,
    offerId: ref.offerId,
    offerTypeId,
    definition: split.value,
    sasSignatures: split.signatures,
    ...(account !== undefined ? { account } : {}),
  };
  const { sasSignatures: _sas, ...shown } = inputs;
  const props: OfferOutputs = {
    ...shown,
    fingerprint: offerFingerprint(split.value),
    draftFingerprint: contentFingerprint(current.definition, delegated),
    delegated,
    piaDraftFingerprint: fingerprintOf(current.definition, ref, offerTypeId, delegated),
    productId: current.productId,
    planIds: current.planIds,
    providerVersion: PROVIDER_VERSION,
  };
  return { id: idOf(ref), props: storedOutputs(props), inputs };
}

/**
 * Writes the definition in one configure job (referencing what exists by durable id, keeping
 * what VmPricing and VmImageVersion own from `current`), then reads the draft again: it must
 * hold what was written.
 */
async function write(
  inputs: OfferInputs,
  offerTypeId: PiaOfferTypeId,
  name: string,
  current?: DraftRead,
): Promise<OfferOutputs> {
  const pia = piaClient(inputs.account);
  const sent = sendable(inputs, current);
  const { resources, problems } = definitionToPia({
    offerId: inputs.offerId,
    offerTypeId,
    definition: sent,
    known: current ? knownIdsOf(current.resources, { product: current.productId, plans: current.planIds }) : undefined,
  });
  if (problems.length > 0) {
    throw new ResourceError(
      `${name}: the definition holds what the Product Ingestion API cannot: ${problems.map((p) => `${p.path}: ${problemText(p)}`).join("; ")}`,
      "CPP_API_UNSUPPORTED",
    );
  }
  const s = settings(inputs.account);
  const job = await pia.configureAndWait(resources, { deadline: Date.now() + s.operationTimeoutSeconds * 1000 });
  info(`${name}: written through the Product Ingestion API (job ${job.jobId}).`);
  const after = await readDraft(inputs, offerTypeId, current?.productId);
  const delegated = delegatedParts(inputs.definition);
  if (!after) {
    throw new ResourceError(
      `${name}: configure job ${job.jobId} succeeded, but the product cannot be read back; run \`pulumi refresh\` and then \`pulumi up\`.`,
      "CPP_LOST_UPDATE",
    );
  }
  const wanted = supportedFor(sent, inputs, offerTypeId);
  const got = supportedFor(after.definition, inputs, offerTypeId);
  if (
    fingerprintOf(after.definition, inputs, offerTypeId, delegated) !==
    fingerprintOf(sent, inputs, offerTypeId, delegated)
  ) {
    const paths = definitionDifferences(comparableDefinition(wanted), comparableDefinition(got)).map((d) => d.path);
    throw new ResourceError(
      `${name}: after configure job ${job.jobId} the draft does not hold what was written (${paths.slice(0, 5).join(", ")}${paths.length > 5 ? ", …" : ""}): another writer changed it in between, and one of the two updates is lost. Run \`pulumi refresh\` to see what the draft holds, then \`pulumi up\`.`,
      "CPP_LOST_UPDATE",
    );
  }
  return outputs(inputs, offerTypeId, after);
}

/** The definition a write sends: secrets and SAS signatures in place, delegated parts from `current`. */
function sendable(inputs: OfferInputs, current?: DraftRead): OfferDefinition {
  const base = { ...inputs, definition: sentDefinition(inputs) };
  const doc = buildPutDocument(base, current ? ({ definition: current.definition } as WireOffer) : undefined);
  return doc.definition as OfferDefinition;
}

function supportedFor(
  definition: OfferDefinition,
  ref: { offerId: string },
  offerTypeId: PiaOfferTypeId,
): OfferDefinition {
  return supportedDefinition({ offerId: ref.offerId, offerTypeId, definition });
}

function fingerprintOf(
  definition: OfferDefinition,
  ref: { offerId: string },
  offerTypeId: PiaOfferTypeId,
  delegated: DelegatedParts,
): string {
  return piaDraftFingerprint(definition, { offerId: ref.offerId, offerTypeId, delegated });
}

function changedPaths(
  held: OfferDefinition,
  wanted: OfferDefinition,
  ref: { offerId: string },
  offerTypeId: PiaOfferTypeId,
): string[] {
  return definitionDifferences(
    comparableDefinition(supportedFor(held, ref, offerTypeId)),
    comparableDefinition(supportedFor(wanted, ref, offerTypeId)),
  ).map((d) => d.path);
}

/** The outputs after a write or a read that confirmed the draft holds the inputs' definition. */
function outputs(inputs: OfferInputs, offerTypeId: PiaOfferTypeId, draft: DraftRead): OfferOutputs {
  const { definition, secrets: _secrets, sasSignatures: _sas, ...small } = inputs;
  const delegated = delegatedParts(definition);
  return storedOutputs({
    ...small,
    fingerprint: offerFingerprint(definition),
    draftFingerprint: contentFingerprint(sentDefinition(inputs), delegated),
    delegated,
    piaDraftFingerprint: fingerprintOf(draft.definition, inputs, offerTypeId, delegated),
    productId: draft.productId,
    planIds: draft.planIds,
    providerVersion: PROVIDER_VERSION,
  });
}

function piaOfferType(i: { offerTypeId?: string }, name: string): PiaOfferTypeId {
  if (isPiaOfferType(i.offerTypeId)) return i.offerTypeId;
  throw new ResourceError(
    `${name}: offers of type "${String(i.offerTypeId)}" cannot be managed through the Product Ingestion API; set cloudpartner:api to "cpp" for them.`,
    "CPP_API_UNSUPPORTED",
  );
}

function reportUnreadable(name: string, problems: TranslationProblem[]): void {
  if (problems.length === 0) return;
  warn(
    `${name}: Partner Center holds what an offer definition cannot show, so the definition read leaves it out: ${problems.map((p) => `${p.path} (${p.reason})`).join("; ")}.`,
  );
}
