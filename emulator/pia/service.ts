// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from "node:crypto";
import { isoTicks, type EmulatedClock } from "../clock.js";
import { isActive, viewOperation } from "../operations.js";
import type { Service } from "../service.js";
import { offerKey, type Doc, type EmulatorState, type OfferRecord, type Operation, type PiaJob } from "../state.js";
import { restoreSecrets } from "../secrets.js";
import { publishProblems } from "../validation.js";
import { assetId, parseDurableId, PLAN_SINGLETONS, PRODUCT_SINGLETONS, schemaUrl, submissionNumber } from "./ids.js";
import { viewJob, type JobView } from "./jobs.js";
import {
  applyToDocument,
  ensurePia,
  keepMaskedSecrets,
  LANGUAGE,
  maskSecrets,
  newPlan,
  projectResources,
  techConfigType,
} from "./mapping.js";
import { publishedProblems } from "./rules.js";
import { schemaType } from "./schemas.js";

/** Offer types that are PIA virtual-machine products (§P3.2 `product.type`). */
const VM_TYPES: Readonly<Record<string, string>> = {
  "microsoft-azure-virtualmachines": "azureVirtualMachine",
  "microsoft-azure-corevm": "coreVirtualMachine",
};
const OFFER_TYPE_OF: Readonly<Record<string, string>> = {
  azureVirtualMachine: "microsoft-azure-virtualmachines",
  coreVirtualMachine: "microsoft-azure-corevm",
};

/** A job error item (§P5.3, asynchronous shape). */
function jobError(code: string, inner: string, message: string, resourceId?: string): Doc {
  return { ...(resourceId ? { resourceId } : {}), code, message, details: [{ code: inner, message }] };
}

/** Thrown while processing a job: the job fails with this error and nothing it wrote stays. */
class JobFailure extends Error {
  constructor(readonly error: Doc) {
    super(String(error.message));
  }
}

/** One slot of a product (`targetType`, §P3.1). */
export type Target = "draft" | "preview" | "live";

/**
 * The Product Ingestion API domain over the one store: products are the CPP offers of the
 * caller's account seen through emulator/pia/mapping.ts, writes are configure jobs processed on
 * the emulated clock, and submissions are the CPP publish and go-live operations.
 */
export class PiaService {
  constructor(
    private readonly state: EmulatorState,
    private readonly clock: EmulatedClock,
    private readonly cpp: Service,
    private readonly changed: () => void,
  ) {}

  private get jobs(): PiaJob[] {
    return (this.state.piaJobs ??= []);
  }

  /** The account's VM offers (every publisher the caller's principal may use). */
  products(publishers: string[]): OfferRecord[] {
    return Object.values(this.state.offers).filter(
      (r) => publishers.includes(r.draft.publisherId) && Object.hasOwn(VM_TYPES, r.draft.offerTypeId),
    );
  }

  /** The PIA ids of an offer, given on first sight (persisted). */
  ids(record: OfferRecord) {
    const { pia, changed } = ensurePia(record, randomUUID);
    if (changed) this.changed();
    return pia;
  }

  /** The account's product with this GUID. */
  productByGuid(publishers: string[], guid: string): OfferRecord | undefined {
    return this.products(publishers).find((r) => this.ids(r).product === guid);
  }

  /** The account's product with this external id (the CPP offer id). */
  productByExternalId(publishers: string[], externalId: string): OfferRecord | undefined {
    return this.products(publishers).find((r) => r.draft.id === externalId);
  }

  /**
   * Every resource of a product in a slot, or undefined when the slot was never published.
   * Secret fields read masked; `mask: false` gives them (for a write that echoes the mask).
   */
  tree(record: OfferRecord, target: Target, mask = true): Doc[] | undefined {
    this.cpp.settle(record);
    const pia = this.ids(record);
    if (target === "draft")
      return projectResources(restoreSecrets(record.draft, record.secrets), pia, pia.extras, mask);
    const doc = target === "preview" ? record.preview : record.production;
    if (!doc) return undefined;
    return projectResources(doc, pia, (target === "preview" ? pia.previewExtras : pia.liveExtras) ?? {});
  }

  /** Processes every job whose processing time has come, oldest first (called before each request). */
  settle(): void {
    const now = this.clock.now();
    for (const job of this.jobs) {
      if (job.applied || job.cancelledAt !== undefined || job.doneAt > now) continue;
      this.process(job);
      this.changed();
    }
  }

  /** Accepts a configure request (already schema-valid) as a new job; returns its status. */
  configure(publishers: string[], resources: Doc[]): PiaJob {
    const now = this.clock.now();
    const modes = this.state.modes;
    const account = publishers[0] ?? "";
    const previous = [...this.jobs].reverse().find((j) => (j.publishers[0] ?? "") === account);
    // Jobs of one account are processed one after another, in the order received (our choice on
    // §P10 question 3: overlapping draft jobs are queued, not merged or refused).
    const startAt = Math.max(now + modes.piaJobQueueMs, previous ? previous.doneAt : 0);
    const job: PiaJob = {
      id: randomUUID(),
      publishers: [...publishers],
      createdAt: now,
      startAt,
      doneAt: startAt + modes.piaJobRunMs,
      resources: JSON.parse(JSON.stringify(resources)),
    };
    this.jobs.push(job);
    this.changed();
    return job;
  }

  job(publishers: string[], jobId: string): PiaJob | undefined {
    return this.jobs.find((j) => j.id === jobId && j.publishers[0] === publishers[0]);
  }

  /** The operation a job's submission started. */
  private jobOperation(job: PiaJob): Operation | undefined {
    const id = job.applied?.operationId;
    return id ? this.state.operations.find((o) => o.id === id) : undefined;
  }

  view(job: PiaJob): JobView {
    const op = this.jobOperation(job);
    if (op) {
      const record = this.state.offers[offerKey(op.publisherId, op.offerId)];
      if (record) this.cpp.settle(record);
    }
    return viewJob(job, op, this.clock.now(), this.state.modes);
  }

  /** `configure-status` (§P5.1). */
  status(job: PiaJob, base: string): Doc {
    const v = this.view(job);
    return {
      $schema: schemaUrl("configure-status"),
      jobId: job.id,
      jobStatus: v.jobStatus,
      jobResult: v.jobResult,
      jobStart: isoTicks(job.createdAt),
      jobEnd: v.endedAt !== undefined ? isoTicks(v.endedAt) : "0001-01-01T00:00:00",
      errors: v.errors,
      ...(v.jobResult === "succeeded" ? { resourceUri: `${base}/rp/product-ingestion/configure/${job.id}` } : {}),
    };
  }

  /**
   * `POST configure/<jobId>/cancel`: a job not processed yet is cancelled with nothing written;
   * a submission still in certification (or going live) is canceled; a completed job cannot be.
   */
  cancel(job: PiaJob): "cancelled" | "completed" {
    if (this.view(job).jobStatus === "completed") return "completed";
    const op = this.jobOperation(job);
    if (op) {
      op.canceledAt = this.clock.now();
      const record = this.state.offers[offerKey(op.publisherId, op.offerId)];
      if (record) record.draft.status = "canceled";
    } else {
      job.cancelledAt = this.clock.now();
      job.applied = { result: "cancelled", errors: [], resources: [] };
    }
    this.changed();
    return "cancelled";
  }

  /** The submission number of an operation (given on first sight, so CPP publications have one too). */
  submissionOf(op: Operation): string {
    if (!op.submission) {
      this.state.piaSeq = (this.state.piaSeq ?? 0) + 1;
      op.submission = submissionNumber(this.state.piaSeq);
      this.changed();
    }
    return op.submission;
  }

  /** `GET submission/<P>` (§P5.4): the draft reference, then the preview and live submissions. */
  submissions(record: OfferRecord): Doc[] {
    this.cpp.settle(record);
    const P = this.ids(record).product;
    const product = `product/${P}`;
    const ops = this.state.operations.filter(
      (o) => o.publisherId === record.draft.publisherId && o.offerId === record.draft.id && o.type !== "cancel",
    );
    const now = this.clock.now();
    const item = (op: Operation, target: "preview" | "live"): Doc => {
      const view = viewOperation(op, now, this.state.modes);
      const done = target === "preview" ? view.signoffAt !== undefined : view.state === "succeeded";
      const result =
        view.state === "failed" ? "failed" : view.state === "canceled" ? "cancelled" : done ? "succeeded" : "pending";
      return {
        $schema: schemaUrl("submission"),
        id: `submission/${P}/${this.submissionOf(op)}`,
        product,
        target: { targetType: target },
        lifecycleState: "generallyAvailable",
        status: result === "pending" ? "running" : "completed",
        result,
        created: isoTicks(op.createdAt),
      };
    };
    const out: Doc[] = [
      {
        $schema: schemaUrl("submission"),
        id: `submission/${P}/0`,
        product,
        target: { targetType: "draft" },
        lifecycleState: "generallyAvailable",
      },
    ];
    const publishes = ops.filter((o) => o.type === "publish");
    const lives = ops.filter((o) => o.type === "goLive");
    const lastPublish = publishes[publishes.length - 1];
    const lastLive = lives[lives.length - 1];
    const promoted = lastPublish && lastLive && lastLive.submission === this.submissionOf(lastPublish);
    if (lastPublish && !(promoted && this.state.modes.piaPromotedSubmission === "liveOnly"))
      out.push(item(lastPublish, "preview"));
    // While a new version goes live, the one live before it is listed too (§P5.4).
    const liveBefore = [...lives]
      .reverse()
      .find((o) => o !== lastLive && viewOperation(o, now, this.state.modes).state === "succeeded");
    if (lastLive && viewOperation(lastLive, now, this.state.modes).state === "running" && liveBefore)
      out.push(item(liveBefore, "live"));
    if (lastLive) out.push(item(lastLive, "live"));
    return out;
  }

  /** The active submission of an offer (a preview in certification, or a go-live), if any. */
  private inProgress(record: OfferRecord): Operation | undefined {
    const now = this.clock.now();
    const ops = this.state.operations.filter(
      (o) => o.publisherId === record.draft.publisherId && o.offerId === record.draft.id && o.type !== "cancel",
    );
    const last = ops[ops.length - 1];
    if (!last) return undefined;
    const view = viewOperation(last, now, this.state.modes);
    if (!isActive(view)) return undefined;
    if (last.type === "publish" && view.signoffAt !== undefined) return undefined;
    return last;
  }

  /**
   * Processes a job at its `doneAt`: resolves each resource in request order, checks the
   * business rules, and writes; the first problem fails the job and undoes what it wrote.
   */
  private process(job: PiaJob): void {
    const undo = new Map<string, string | undefined>();
    const touch = (key: string) => {
      if (!undo.has(key)) {
        const r = this.state.offers[key];
        undo.set(key, r ? JSON.stringify(r) : undefined);
      }
    };
    const seqBefore = this.state.piaSeq;
    const opsBefore = this.state.operations.length;
    const names = new Map<string, string>();
    const stored: Doc[] = [];
    let operationId: string | undefined;
    let lastKey: string | undefined;
    try {
      for (const res of job.resources) {
        const done = this.write(job, res, names, touch, stored);
        stored.push(done.resource);
        lastKey = done.key;
        if (done.operationId) operationId = done.operationId;
      }
      job.applied = {
        result: "succeeded",
        errors: [],
        resources: stored,
        ...(lastKey ? { offerKey: lastKey } : {}),
        ...(operationId ? { operationId } : {}),
      };
    } catch (e) {
      if (!(e instanceof JobFailure)) throw e;
      for (const [key, json] of undo) {
        if (json === undefined) delete this.state.offers[key];
        else this.state.offers[key] = JSON.parse(json) as OfferRecord;
      }
      this.state.operations.splice(opsBefore);
      this.state.piaSeq = seqBefore;
      job.applied = { result: "failed", errors: [e.error], resources: [] };
    }
  }

  /** Resolves a reference (durable id, `{externalId}`, `{resourceName}`) to a durable id (§P3.1). */
  private ref(
    job: PiaJob,
    value: unknown,
    kind: "product" | "plan",
    names: Map<string, string>,
    product?: OfferRecord,
  ): string {
    const label = (v: unknown) => JSON.stringify(v);
    if (typeof value === "string") {
      const parsed = parseDurableId(value);
      if (!parsed || parsed.type !== kind)
        throw new JobFailure(jobError("badRequest", "invalidId", `${label(value)} is not a ${kind} durable id.`));
      if (kind === "product" && !this.productByGuid(job.publishers, parsed.parts[0]))
        throw new JobFailure(jobError("notFound", "resourceNotFound", `Product ${value} was not found.`));
      if (kind === "plan") {
        const pia = product && this.ids(product);
        if (!pia || pia.product !== parsed.parts[0] || !Object.values(pia.plans).includes(parsed.parts[1]))
          throw new JobFailure(jobError("notFound", "resourceNotFound", `Plan ${value} was not found.`));
      }
      return value;
    }
    if (value && typeof value === "object") {
      const v = value as Doc;
      if (typeof v.resourceName === "string") {
        const id = names.get(v.resourceName);
        if (!id || !id.startsWith(`${kind}/`))
          throw new JobFailure(
            jobError(
              "badRequest",
              "invalidRequest",
              `The resource named "${v.resourceName}" is not a ${kind} defined earlier in this request.`,
            ),
          );
        return id;
      }
      if (typeof v.externalId === "string") {
        if (kind === "product") {
          const record = this.productByExternalId(job.publishers, v.externalId);
          if (!record)
            throw new JobFailure(
              jobError("notFound", "resourceNotFound", `No product has the external id "${v.externalId}".`),
            );
          return `product/${this.ids(record).product}`;
        }
        const pia = product && this.ids(product);
        const guid = pia && Object.hasOwn(pia.plans, v.externalId) ? pia.plans[v.externalId] : undefined;
        if (!pia || !guid)
          throw new JobFailure(
            jobError("notFound", "resourceNotFound", `No plan of this product has the external id "${v.externalId}".`),
          );
        return `plan/${pia.product}/${guid}`;
      }
    }
    throw new JobFailure(
      jobError("badRequest", "invalidRequest", `The ${kind} reference ${label(value)} is not valid.`),
    );
  }

  /** Writes one resource; returns it as stored and the offer it belongs to. */
  private write(
    job: PiaJob,
    res: Doc,
    names: Map<string, string>,
    touch: (key: string) => void,
    written: Doc[],
  ): { resource: Doc; key: string; operationId?: string } {
    const type = schemaType(res.$schema)?.type ?? "";
    const posted: Doc = JSON.parse(JSON.stringify(res));
    const name = typeof posted.resourceName === "string" ? posted.resourceName : undefined;
    delete posted.resourceName;
    delete posted.validations;
    // An unset id serialised as null reads as no id.
    if (posted.id === null) delete posted.id;
    let record: OfferRecord;
    if (type === "product") record = this.productFor(job, posted, touch);
    else {
      const productId = this.ref(job, posted.product, "product", names);
      record = this.productByGuid(job.publishers, productId.split("/")[1])!;
    }
    const key = offerKey(record.draft.publisherId, record.draft.id);
    touch(key);
    const pia = this.ids(record);
    const P = pia.product;
    if (type !== "product") posted.product = `product/${P}`;
    if (type === "submission") return this.submit(job, record, posted, written);
    let id: string;
    if (type === "product") id = `product/${P}`;
    else if (type === "plan") id = this.planFor(job, record, posted);
    else if (Object.hasOwn(PRODUCT_SINGLETONS, type))
      id = PRODUCT_SINGLETONS[type](P, String(posted.languageId ?? LANGUAGE).toLowerCase());
    else if (type === "listing-asset") id = this.assetFor(record, posted);
    else if (Object.hasOwn(PLAN_SINGLETONS, type)) {
      if (type.endsWith("technical-configuration") && type !== techConfigType(record.draft))
        throw new JobFailure(
          jobError(
            "badRequest",
            "invalidResource",
            `A ${type} does not belong to a product of type ${VM_TYPES[record.draft.offerTypeId]}.`,
          ),
        );
      const planId = this.ref(job, posted.plan, "plan", names, record);
      posted.plan = planId;
      id = PLAN_SINGLETONS[type](P, planId.split("/")[2], String(posted.languageId ?? LANGUAGE).toLowerCase());
    } else
      throw new JobFailure(
        jobError("badRequest", "notSupported", `Resources of type ${type || "(unknown)"} are not supported.`),
      );
    if (posted.id !== undefined && posted.id !== id)
      throw new JobFailure(
        jobError(
          "badRequest",
          "invalidId",
          `The id ${JSON.stringify(posted.id)} does not match the resource (${id}).`,
          id,
        ),
      );
    posted.id = id;
    if (name) names.set(name, id);
    // One projection of the draft: as read (secrets masked) for the merge, unmasked for the echo.
    const stored = (this.tree(record, "draft", false) ?? []).find((r) => r.id === id);
    const current = stored && maskSecrets(stored);
    const merged =
      this.state.modes.piaOmittedFields === "keep" && current ? keepOmitted(current, posted) : { ...posted };
    const next = keepMaskedSecrets(merged, stored);
    const published = [this.tree(record, "preview"), this.tree(record, "live")].map((t) => t?.find((r) => r.id === id));
    const problem = publishedProblems(type, next, current, published);
    if (problem) throw new JobFailure(jobError(problem.code, problem.inner, problem.message, id));
    if (next.lifecycleState === "deleted") this.remove(record, type, id);
    else {
      // Mode clear: what the write leaves out goes from the document too.
      const cleared =
        this.state.modes.piaOmittedFields === "clear" && current
          ? Object.keys(current).filter((k) => !(k in next))
          : [];
      applyToDocument(record.draft, pia, next, cleared);
      pia.extras[id] = next;
      this.cpp.store(record.draft.publisherId, record.draft.id, record.draft, record.migrated);
    }
    return { resource: next, key };
  }

  /** The offer a product resource writes: found by id or external id, or a new one. */
  private productFor(job: PiaJob, res: Doc, touch: (key: string) => void): OfferRecord {
    if (res.id !== undefined) {
      const parsed = parseDurableId(res.id);
      const found = parsed?.type === "product" ? this.productByGuid(job.publishers, parsed.parts[0]) : undefined;
      if (!found)
        throw new JobFailure(jobError("notFound", "resourceNotFound", `Product ${String(res.id)} was not found.`));
      if (res.identity?.externalId !== undefined && res.identity.externalId !== found.draft.id)
        throw new JobFailure(
          jobError("badRequest", "invalidRequest", "The external id of a product cannot change.", String(res.id)),
        );
      return found;
    }
    const externalId = res.identity?.externalId as string;
    const existing = this.productByExternalId(job.publishers, externalId);
    if (existing) return existing;
    const publisherId = job.publishers[0];
    const taken = Object.values(this.state.offers).some(
      (r) => r.draft.id === externalId && r.draft.publisherId === publisherId,
    );
    if (!publisherId || taken)
      throw new JobFailure(
        jobError("conflict", "invalidRequest", `A product with the external id "${externalId}" already exists.`),
      );
    const key = offerKey(publisherId, externalId);
    touch(key);
    const record = this.cpp.store(publisherId, externalId, {
      offerTypeId: OFFER_TYPE_OF[res.type] ?? "microsoft-azure-virtualmachines",
      definition: { displayText: res.alias ?? externalId, offer: {}, plans: [] },
    });
    // A new offer is a Partner Center offer: the CPP API serves it in its migrated form.
    record.migrated = true;
    return record;
  }

  private planFor(job: PiaJob, record: OfferRecord, res: Doc): string {
    const pia = this.ids(record);
    if (res.id !== undefined) return this.ref(job, res.id, "plan", new Map(), record);
    const externalId = res.identity?.externalId as string;
    if (!Object.hasOwn(pia.plans, externalId)) {
      record.draft.definition.plans.push(newPlan(record.draft, externalId));
      this.ids(record);
    }
    return `plan/${pia.product}/${pia.plans[externalId]}`;
  }

  private assetFor(record: OfferRecord, res: Doc): string {
    const P = this.ids(record).product;
    const lang = String(res.languageId ?? LANGUAGE).toLowerCase();
    const type = String(res.type ?? "asset");
    if (/^azureLogo(Small|Medium|Large|Wide|Hero)$/.test(type)) return assetId(P, lang, type, 1);
    const prefix = assetId(P, lang, type, 0).replace(/0$/, "");
    const taken = (this.tree(record, "draft") ?? []).filter((r) => String(r.id).startsWith(prefix)).length;
    return assetId(P, lang, type, taken + 1);
  }

  /** `lifecycleState: deleted` on a draft-only resource (§P3.1): it goes, irreversibly. */
  private remove(record: OfferRecord, type: string, id: string): void {
    const pia = this.ids(record);
    if (type === "product") {
      delete this.state.offers[offerKey(record.draft.publisherId, record.draft.id)];
      return;
    }
    if (type === "plan") {
      const guid = id.split("/")[2];
      const planId = Object.keys(pia.plans).find((k) => pia.plans[k] === guid);
      record.draft.definition.plans = record.draft.definition.plans.filter((p: Doc) => p.planId !== planId);
      for (const k of Object.keys(pia.extras)) if (k.split("/")[2] === guid) delete pia.extras[k];
    } else {
      applyToDocument(record.draft, pia, { ...(pia.extras[id] ?? {}), id, lifecycleState: "deleted" });
      delete pia.extras[id];
    }
    this.cpp.store(record.draft.publisherId, record.draft.id, record.draft, record.migrated);
  }

  /**
   * A submission resource: a preview of the draft, or the go-live of the latest preview (§P5.4).
   * With other resources of the product earlier in the same request, the preview is modular: it
   * publishes those over what preview holds (the whole draft when nothing was published yet).
   */
  private submit(
    job: PiaJob,
    record: OfferRecord,
    res: Doc,
    written: Doc[],
  ): { resource: Doc; key: string; operationId: string } {
    const P = this.ids(record).product;
    const key = offerKey(record.draft.publisherId, record.draft.id);
    this.cpp.settle(record);
    const target = res.target?.targetType;
    const running = this.inProgress(record);
    if (running)
      throw new JobFailure(
        jobError(
          "internalServerError",
          "invalidState",
          `An In Progress submission ${this.submissionOf(running)} already exists.`,
        ),
      );
    const now = job.doneAt;
    const ops = this.state.operations.filter(
      (o) => o.publisherId === record.draft.publisherId && o.offerId === record.draft.id && o.type === "publish",
    );
    const latest = ops[ops.length - 1];
    if (target === "preview") {
      const pia = this.ids(record);
      const modular =
        record.preview !== undefined &&
        written.some((r) => !String(r.id).startsWith("submission/") && r.product === `product/${P}`);
      const snapshot: Doc = JSON.parse(JSON.stringify(modular ? record.preview : record.draft));
      const extras: Record<string, Doc> = JSON.parse(JSON.stringify(modular ? (pia.previewExtras ?? {}) : pia.extras));
      if (modular) {
        for (const r of written) {
          if (String(r.id).startsWith("submission/") || r.product !== `product/${P}`) continue;
          applyToDocument(snapshot, pia, r);
          extras[r.id] = r;
        }
      }
      const problems = publishProblems(snapshot);
      if (problems.length > 0)
        throw new JobFailure({
          resourceId: `product/${P}`,
          code: "badRequest",
          message: "The product is not ready to publish.",
          details: problems.map((p) => ({ code: "businessValidationError", message: `${p.target}: ${p.message}` })),
        });
      const op = this.cpp.startPublish(record, { at: now, snapshot, piaSnapshot: extras });
      const id = `submission/${P}/${this.submissionOf(op)}`;
      return { resource: { ...res, id, target: { targetType: "preview" } }, key, operationId: op.id };
    }
    const n = typeof res.id === "string" ? res.id.split("/")[2] : undefined;
    if (!n || n === "0")
      throw new JobFailure(
        jobError(
          "badRequest",
          "invalidRequest",
          "Expected a submission id that isn't null or 0 since target type is Live",
        ),
      );
    const view = latest ? viewOperation(latest, now, this.state.modes) : undefined;
    const ended = view?.state === "failed" || view?.state === "canceled";
    if (!latest || this.submissionOf(latest) !== n || view?.signoffAt === undefined || ended)
      throw new JobFailure(
        jobError(
          "conflict",
          "invalidState",
          "The submission cannot be pushed to live as its not the latest submission.",
          String(res.id),
        ),
      );
    const op = this.cpp.startGoLive(record, latest, { at: now });
    return {
      resource: { ...res, id: `submission/${P}/${n}`, target: { targetType: "live" } },
      key,
      operationId: op.id,
    };
  }
}

/**
 * Mode piaOmittedFields `keep`: fields the write leaves out keep their stored values, one level
 * into objects too (a technical configuration posted with `operatingSystem: {family, type}`
 * keeps its `friendlyName`); arrays are replaced whole.
 */
function keepOmitted(current: Doc, posted: Doc): Doc {
  const objects = (x: unknown) => x !== null && typeof x === "object" && !Array.isArray(x);
  const out: Doc = { ...current };
  for (const [k, v] of Object.entries(posted)) out[k] = objects(v) && objects(current[k]) ? { ...current[k], ...v } : v;
  return out;
}
