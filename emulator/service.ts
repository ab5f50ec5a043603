// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from "node:crypto";
import { dotnetTicks, isoTicks, type EmulatedClock } from "./clock.js";
import { isActive, statusWord, viewOperation, type OperationView } from "./operations.js";
import { extractSecrets } from "./secrets.js";
import { offerKey, type Doc, type EmulatorState, type OfferRecord, type Operation } from "./state.js";
import { documentProblem, publishProblems } from "./validation.js";

/** An HTTP answer of the API layer. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The service's error envelope (docs/internals/api-notes.md §3). */
export function errorReply(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { error: { code, message, ...extra } } };
}

const TICK_EPOCH = Date.UTC(2020, 0, 1);
/** Read-only envelope keys (docs/internals/api-notes.md §5.1), lower-cased: ignored on input in any letter case. */
const READ_ONLY = new Set([
  "status",
  "version",
  "changedtime",
  "pcmigrationstatus",
  "pcredirecturi",
  "isvupgraderequest",
  "etag",
]);
const LEGACY_KEYS = ["microsoft-azure-corevm.legacyOfferId", "microsoft-azure-corevm.legacyPublisherId"];
const LEAD_CONFIGS = [
  "tableLeadConfiguration",
  "blobLeadConfiguration",
  "salesForceLeadConfiguration",
  "crmLeadConfiguration",
  "httpsEndpointLeadConfiguration",
  "marketoLeadConfiguration",
];

/**
 * The CPP domain: offers with slots, versions, ETags and secrets, and the operation engine.
 * Mutations call `changed()` so the store can persist.
 */
export class Service {
  constructor(
    private readonly state: EmulatorState,
    private readonly clock: EmulatedClock,
    private readonly changed: () => void,
  ) {}

  private now(): number {
    return this.clock.now();
  }

  /** A new, unique ETag in the service's format (docs/internals/api-notes.md §4.2). */
  newEtag(): string {
    // Ticks (100 ns) since 2020 stay exact in a double; each ETag gets a later tick than the last.
    const ticks = Math.max(Math.floor((this.now() - TICK_EPOCH) * 10_000), this.state.lastEtagTicks + 1);
    this.state.lastEtagTicks = ticks;
    const ms = TICK_EPOCH + Math.floor(ticks / 10_000);
    const time = `${new Date(ms).toISOString().slice(0, 19)}.${String(ticks % 10_000_000).padStart(7, "0")}Z`;
    return `W/"datetime'${encodeURIComponent(time)}'"`;
  }

  offer(publisherId: string, offerId: string): OfferRecord | undefined {
    return this.state.offers[offerKey(publisherId, offerId)];
  }

  /** Stores a document as PUT (or seed) would; returns the record. */
  store(publisherId: string, offerId: string, body: Doc, migrated = false): OfferRecord {
    const key = offerKey(publisherId, offerId);
    const existing = this.state.offers[key];
    const doc = JSON.parse(JSON.stringify(body)) as Doc;
    for (const k of Object.keys(doc)) if (READ_ONLY.has(k.toLowerCase())) delete doc[k];
    doc.id = offerId;
    doc.publisherId = publisherId;
    doc.definition ??= {};
    doc.definition.offer ??= {};
    doc.definition.plans ??= [];
    if (doc.offerTypeId === "microsoft-azure-virtualmachines") {
      for (const lead of LEAD_CONFIGS) doc.definition.offer[`microsoft-azure-marketplace.${lead}`] ??= {};
    }
    const secrets = { ...(existing?.secrets ?? {}), ...extractSecrets(doc) };
    doc.status = existing?.draft.status ?? "neverPublished";
    doc.version = existing?.draft.version ?? 1;
    doc.changedTime = isoTicks(this.now());
    doc.pcMigrationStatus = (existing?.migrated ?? migrated) ? "migrated" : "none";
    if (existing?.migrated ?? migrated)
      doc.pcRedirectUri = `https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${offerId}/overview`;
    doc.isvUpgradeRequest = false;
    const record: OfferRecord = existing
      ? { ...existing, draft: doc, etag: this.newEtag(), secrets }
      : { draft: doc, etag: this.newEtag(), migrated, secrets, versions: {}, publishCount: 0 };
    this.state.offers[key] = record;
    this.changed();
    return record;
  }

  /** E7 PUT semantics of docs/internals/api-notes.md §4.3, with mode putWithoutIfMatch. */
  put(publisherId: string, offerId: string, body: unknown, ifMatch: string | undefined): Reply {
    if (!body || typeof body !== "object" || Array.isArray(body))
      return errorReply(400, "BadRequest", "The request body must be an offer document.");
    const invalid = documentProblem(offerId, body, this.offer(publisherId, offerId)?.migrated === true);
    if (invalid) return errorReply(400, "BadRequest", invalid.message, { target: invalid.target });
    const doc = body as Doc;
    if (doc.id !== undefined && doc.id !== offerId)
      return errorReply(
        400,
        "BadRequest",
        `The offer id in the body ("${doc.id}") does not match the URL ("${offerId}").`,
      );
    if (doc.publisherId !== undefined && doc.publisherId !== publisherId)
      return errorReply(
        400,
        "BadRequest",
        `The publisher id in the body ("${doc.publisherId}") does not match the URL ("${publisherId}").`,
      );
    for (const k of LEGACY_KEYS)
      if (doc.definition?.offer && k in doc.definition.offer)
        return errorReply(400, "BadRequest", `Cannot write the read-only property ${k}.`);
    const existing = this.offer(publisherId, offerId);
    if (existing && doc.offerTypeId !== undefined && doc.offerTypeId !== existing.draft.offerTypeId) {
      return errorReply(
        400,
        "BadRequest",
        `The offer type of an existing offer cannot change (from ${existing.draft.offerTypeId} to ${doc.offerTypeId}).`,
      );
    }
    if (typeof doc.offerTypeId !== "string" && !existing)
      return errorReply(400, "BadRequest", "offerTypeId is required.");
    if (!doc.definition || typeof doc.definition !== "object")
      return errorReply(400, "BadRequest", "definition is required.");
    if (ifMatch === undefined) {
      if (existing) {
        const mode = this.state.modes.putWithoutIfMatch;
        if (mode === "conflict")
          return errorReply(
            409,
            "InvalidResourceId",
            "Offer ID already exists. Please ensure If-Match header is specified to update offer.",
          );
        if (mode === "badRequest")
          return errorReply(400, "BadRequest", "The If-Match header is required to update an offer.");
      }
    } else if (ifMatch !== "*") {
      if (!existing || ifMatch !== existing.etag)
        return errorReply(
          412,
          "PreconditionFailed",
          "The offer has been modified since it was last read: the ETag in If-Match does not match.",
        );
    }
    const record = this.store(publisherId, offerId, {
      ...doc,
      offerTypeId: doc.offerTypeId ?? existing?.draft.offerTypeId,
    });
    return { status: existing ? 200 : 201, body: record.draft, headers: { ETag: record.etag } };
  }

  /** Brings offer status and slots up to date with the operations at the current time. */
  settle(record: OfferRecord): void {
    const now = this.now();
    for (const op of this.state.operations) {
      if (op.publisherId !== record.draft.publisherId || op.offerId !== record.draft.id) continue;
      const view = viewOperation(op, now, this.state.modes);
      if (op.type === "publish" && view.signoffAt !== undefined && !op.applied.preview) {
        op.applied.preview = true;
        record.preview = { ...op.snapshot, status: "waitingForPublisherReview" };
        if (record.pia) record.pia.previewExtras = op.piaSnapshot ?? record.pia.previewExtras;
        this.changed();
      }
      if (op.type === "goLive" && view.state === "succeeded" && !op.applied.production) {
        op.applied.production = true;
        const version = record.draft.version as number;
        record.production = { ...(record.preview ?? op.snapshot), version, status: "succeeded" };
        if (record.pia) record.pia.liveExtras = op.piaSnapshot ?? record.pia.previewExtras;
        record.versions[String(version)] = record.production;
        record.draft.version = version + 1;
        this.changed();
      }
    }
    const latest = this.latestOp(record, ["publish", "goLive"]);
    if (latest) record.draft.status = this.offerStatus(latest.op, latest.view);
  }

  private offerStatus(op: Operation, view: OperationView): string {
    if (view.state === "failed") return "failed";
    if (view.state === "canceled") return "canceled";
    if (op.type === "goLive") return view.state === "succeeded" ? "succeeded" : "running";
    return view.signoffAt !== undefined ? this.state.modes.offerStatusAtSignoff : "running";
  }

  /** The newest operation of the given types, with its view. */
  latestOp(record: OfferRecord, types: Operation["type"][]): { op: Operation; view: OperationView } | undefined {
    const ops = this.state.operations.filter(
      (o) => o.publisherId === record.draft.publisherId && o.offerId === record.draft.id && types.includes(o.type),
    );
    const op = ops[ops.length - 1];
    return op ? { op, view: viewOperation(op, this.now(), this.state.modes) } : undefined;
  }

  /** E9: start (or, while one runs, return) the publish operation. */
  publish(record: OfferRecord, emails: string | undefined): Reply {
    this.settle(record);
    const running = this.latestOp(record, ["publish", "goLive"]);
    if (running && isActive(running.view) && running.op.type === "publish" && running.view.state !== "signoff") {
      return this.accepted(record, running.op); // idempotent while running (docs/internals/api-notes.md §8 E9)
    }
    if (running && running.op.type === "goLive" && isActive(running.view))
      return errorReply(400, "BadRequest", "A go-live operation is running for this offer.");
    const problems = publishProblems(record.draft);
    if (problems.length > 0)
      return errorReply(
        422,
        "ValidationFailed",
        `The offer failed validation: ${problems.map((p) => p.message).join(" ")}`,
        { details: problems },
      );
    return this.accepted(record, this.startPublish(record, { emails }));
  }

  /**
   * Starts a publish of the Draft (or of `snapshot`, a modular PIA preview) at emulated time
   * `at` (default now), taking a forced outcome set for the next operation: E9's and a PIA
   * preview submission's operation alike (one store, emulator/pia/service.ts).
   */
  startPublish(
    record: OfferRecord,
    o: { at?: number; emails?: string; snapshot?: Doc; piaSnapshot?: Record<string, Doc> } = {},
  ): Operation {
    record.publishCount += 1;
    const piaSnapshot = o.piaSnapshot ?? (record.pia ? JSON.parse(JSON.stringify(record.pia.extras)) : undefined);
    const op: Operation = {
      id: randomUUID(),
      type: "publish",
      publisherId: record.draft.publisherId,
      offerId: record.draft.id,
      createdAt: o.at ?? this.now(),
      publishingVersion: record.publishCount + 1,
      offerVersion: record.draft.version,
      ...(o.emails !== undefined ? { emails: o.emails } : {}),
      snapshot: o.snapshot ?? JSON.parse(JSON.stringify(record.draft)),
      ...(piaSnapshot ? { piaSnapshot } : {}),
      applied: {},
      ...(record.pendingOutcome ? { forced: record.pendingOutcome } : {}),
    };
    return this.started(record, op);
  }

  /** Starts the go-live of the publish `of` (at sign-off) at emulated time `at` (default now). */
  startGoLive(record: OfferRecord, of: Operation, o: { at?: number; emails?: string } = {}): Operation {
    const emails = o.emails ?? of.emails;
    const op: Operation = {
      id: randomUUID(),
      type: "goLive",
      publisherId: record.draft.publisherId,
      offerId: record.draft.id,
      createdAt: o.at ?? this.now(),
      publishingVersion: of.publishingVersion,
      offerVersion: record.draft.version,
      ...(emails !== undefined ? { emails } : {}),
      snapshot: of.snapshot,
      ...(of.piaSnapshot ? { piaSnapshot: of.piaSnapshot } : {}),
      ...(of.submission ? { submission: of.submission } : {}),
      applied: {},
      ...(record.pendingOutcome ? { forced: record.pendingOutcome } : {}),
    };
    return this.started(record, op);
  }

  private started(record: OfferRecord, op: Operation): Operation {
    delete record.pendingOutcome;
    this.state.operations.push(op);
    record.draft.status = "running";
    this.changed();
    return op;
  }

  /** E10: go live after sign-off. */
  goLive(record: OfferRecord, emails: string | undefined): Reply {
    this.settle(record);
    const last = this.latestOp(record, ["publish", "goLive"]);
    if (last?.op.type === "goLive" && isActive(last.view)) return this.accepted(record, last.op);
    if (
      !last ||
      last.op.type !== "publish" ||
      last.view.signoffAt === undefined ||
      last.view.state === "canceled" ||
      last.view.state === "failed"
    ) {
      return errorReply(
        400,
        "BadRequest",
        "The offer has no preview awaiting publisher sign-off: publish it and wait for the sign-off step first.",
      );
    }
    return this.accepted(record, this.startGoLive(record, last.op, { emails }));
  }

  /**
   * E11: cancel the running operation. As the service: no separate cancel operation — the
   * canceled operation itself ends `canceled` and stays the newest in E12; 202 whether or not
   * anything was running, with the Location of the canceled (or else the last) operation in the
   * offer's own form (legacy `$n$preview` for non-migrated offers, GUID for migrated ones). An
   * offer that never had an operation gets 202 without a Location: there is nothing to point at.
   * Mode cancelStatus 200: the synchronous variant, `200 {}` without a Location.
   */
  cancel(record: OfferRecord): Reply {
    this.settle(record);
    const last = this.latestOp(record, ["publish", "goLive"]);
    if (last && isActive(last.view)) {
      last.op.canceledAt = this.now();
      record.draft.status = "canceled";
      this.changed();
    }
    if (this.state.modes.cancelStatus === 200) return { status: 200, body: {} };
    return { status: 202, ...(last ? { headers: this.locationHeaders(this.operationPath(record, last.op)) } : {}) };
  }

  private accepted(record: OfferRecord, op: Operation): Reply {
    return { status: 202, headers: this.locationHeaders(this.operationPath(record, op)) };
  }

  /** The operation's URL path: GUID form for migrated offers, legacy otherwise (§9.1). */
  operationPath(record: OfferRecord, op: Operation): string {
    if (record.migrated || op.type === "cancel") {
      return `/api/publishers/${op.publisherId}/offers/${op.offerId}/operations/${op.id}`;
    }
    return `/api/operations/${op.publisherId}$${op.offerId}$${op.publishingVersion}$${op.type === "goLive" ? "production" : "preview"}`;
  }

  private base = "";
  /** Sets the absolute base URL used by mode absoluteLocation. */
  setBaseUrl(url: string): void {
    this.base = url;
  }

  private locationHeaders(path: string): Record<string, string> {
    const m = this.state.modes;
    const value = `${m.absoluteLocation ? this.base : ""}${path}${m.locationApiVersion ? "?api-version=2017-10-31" : ""}`;
    if (m.locationHeader === "both") return { Location: value, "Operation-Location": value };
    return { [m.locationHeader]: value };
  }

  /** Finds an operation from E13 (GUID) or E14 (legacy) path parameters. */
  findOperation(
    publisherId: string,
    offerId: string,
    guid?: string,
    legacy?: { version: number; slot: string },
  ): Operation | undefined {
    const ops = this.state.operations.filter((o) => o.publisherId === publisherId && o.offerId === offerId);
    if (guid) return ops.find((o) => o.id === guid);
    if (legacy) {
      const type = legacy.slot.toLowerCase() === "production" ? "goLive" : "publish";
      return [...ops].reverse().find((o) => o.type === type && o.publishingVersion === legacy.version);
    }
    return undefined;
  }

  /** E13/E14 body (§7.6). */
  operationDetail(record: OfferRecord, op: Operation): Doc {
    this.settle(record);
    const view = viewOperation(op, this.now(), this.state.modes);
    return {
      status: statusWord(view, this.state.modes),
      messages: [],
      publishingVersion: op.publishingVersion,
      offerVersion: op.offerVersion,
      cancellationRequestState: isActive(view) ? "canCancel" : "cannotCancel",
      steps: view.steps,
      previewLinks: [],
      liveLinks: [],
      ...(record.migrated ? {} : { notificationEmails: op.emails ?? "" }),
    };
  }

  /** E12 items (§7.5), newest first. */
  operationSummaries(record: OfferRecord, filter?: string): Doc[] {
    this.settle(record);
    const now = this.now();
    const items = this.state.operations
      .filter((o) => o.publisherId === record.draft.publisherId && o.offerId === record.draft.id)
      .map((op) => {
        const view = viewOperation(op, now, this.state.modes);
        const state = view.state === "signoff" ? "running" : view.state;
        const changed = view.endedAt ?? view.signoffAt ?? op.createdAt;
        return {
          id: op.id,
          offerId: op.offerId,
          offerVersion: op.offerVersion,
          offerTypeId: record.draft.offerTypeId,
          publisherId: op.publisherId,
          submissionType: op.type,
          submissionState: state,
          publishingVersion: op.publishingVersion,
          slot: op.type === "publish" ? "staging" : "production",
          version: dotnetTicks(changed),
          changedTime: isoTicks(changed),
          definition: { metadata: { emails: op.emails ?? "" } },
        };
      })
      .reverse();
    return filter ? items.filter((i) => i.submissionState.toLowerCase() === filter.toLowerCase()) : items;
  }

  /**
   * The steps E8 lists: a publish's own; for a go-live, the whole publication — the publish's
   * steps up to sign-off (complete) followed by the go-live's, as the documented example lists
   * every step from the first certification step to `live`.
   */
  private statusSteps(op: Operation, view: OperationView): OperationView["steps"] {
    if (op.type !== "goLive") return view.steps;
    const publish = [...this.state.operations]
      .reverse()
      .find(
        (o) =>
          o.type === "publish" &&
          o.publisherId === op.publisherId &&
          o.offerId === op.offerId &&
          o.publishingVersion === op.publishingVersion,
      );
    const steps = publish ? viewOperation(publish, this.now(), this.state.modes).steps : [];
    const before = steps.filter((s) => s.id !== "publisher-signoff" && s.id !== "live");
    return [...before, ...view.steps];
  }

  /** E8 body (§7.4). */
  statusDocument(record: OfferRecord): Doc {
    this.settle(record);
    const latest = this.latestOp(record, ["publish", "goLive"]);
    return {
      status: record.draft.status,
      messages: [],
      steps: latest ? this.statusSteps(latest.op, latest.view) : [],
      previewLinks: [],
      liveLinks: [],
      ...(record.migrated ? {} : { notificationEmails: latest?.op.emails ?? "" }),
    };
  }
}
