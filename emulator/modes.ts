// SPDX-License-Identifier: Apache-2.0
/** Switchable behaviours of the emulator (docs/emulator.md, "Modes"). */
export interface Modes {
  etagOnGet: boolean;
  putWithoutIfMatch: "conflict" | "badRequest" | "allow";
  locationHeader: "Location" | "Operation-Location" | "both";
  absoluteLocation: boolean;
  locationApiVersion: boolean;
  publishCompletesAt: "signoff" | "live";
  /**
   * The offer's status (E8, E3, E4) while a publish waits at sign-off: the documented
   * `waitingForPublisherReview`, or `running` as some clients observed (docs/internals/api-notes.md §7.1).
   */
  offerStatusAtSignoff: "waitingForPublisherReview" | "running";
  terminalStatusWord: "complete" | "completed" | "succeeded";
  unauthorizedBody: "Message" | "error";
  stepDurationsMs: Record<string, number>;
  tokenLifetimeSeconds: number;
  /**
   * Whether moving the clock (`POST /_emulator/clock` advanceMs) also ages tokens: `true` tests
   * token expiry; `false` suits clients that decide expiry by their own clock and would send a
   * token the jump expired (a real client waiting days renews by its clock, which a jump does not move).
   */
  clockAgesTokens: boolean;
  latencyMs: number;
  cancelStatus: 200 | 202;
  /** Share (0–1) of GET and PUT API requests answered 429, 500 or 503 at random (load tests). */
  randomFaultRate: number;
  /**
   * Product Ingestion API: emulated ms a configure job waits before it runs (`notStarted`) and
   * runs before its resources are processed (`running`). Submission jobs then stay `running`
   * through certification (the step durations above).
   */
  piaJobQueueMs: number;
  piaJobRunMs: number;
  /** HTTP status of `POST configure`: 202 (what later clients expect) or 200 (some accept both). */
  piaConfigureStatus: 200 | 202;
  /**
   * A resource posted without some of its top-level fields: `keep` the stored values (the
   * default: clients post partial technical configurations) or `clear` them. Arrays are always
   * replaced whole (docs/internals/api-notes.md §P3.4, §P12).
   */
  piaOmittedFields: "keep" | "clear";
  /**
   * How `GET submission/<P>` lists a preview that went live: `both` (listed as preview and as
   * live until a new preview, as documented) or `liveOnly` (docs/internals/api-notes.md §P5.4, §P12).
   */
  piaPromotedSubmission: "both" | "liveOnly";
  /** Schema versions refused as `"<v> is a deprecated schema"` (in `$version` or a `$schema` URL). */
  piaDeprecatedVersions: string[];
  /** Page size of product and plan lists when the client gives no `$maxpagesize`. */
  piaPageSize: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Default step durations in emulated ms, from the documented estimates (docs/internals/api-notes.md §7.2). */
export const DEFAULT_STEP_DURATIONS: Record<string, number> = {
  displaydummycertify: 15 * MIN,
  displaycertify: 2 * HOUR,
  displayprovision: 3 * DAY,
  displaypackage: 4 * DAY,
  live: 4 * DAY,
};

/**
 * The time scale of `--fast`: with the default step durations a publish reaches sign-off in about
 * 3 s and a go-live ends in about 2 s (the default, 1, is real time: a publish takes emulated days).
 */
export const FAST_TIME_SCALE = 200_000;

/** The modes a fresh or reset emulator has. */
export function defaultModes(): Modes {
  return {
    etagOnGet: true,
    putWithoutIfMatch: "conflict",
    locationHeader: "Location",
    absoluteLocation: false,
    locationApiVersion: true,
    publishCompletesAt: "signoff",
    offerStatusAtSignoff: "waitingForPublisherReview",
    terminalStatusWord: "complete",
    unauthorizedBody: "Message",
    stepDurationsMs: { ...DEFAULT_STEP_DURATIONS },
    tokenLifetimeSeconds: 3600,
    clockAgesTokens: true,
    latencyMs: 0,
    cancelStatus: 202,
    randomFaultRate: 0,
    piaJobQueueMs: 1000,
    piaJobRunMs: 4000,
    piaConfigureStatus: 202,
    piaOmittedFields: "keep",
    piaPromotedSubmission: "both",
    piaDeprecatedVersions: [],
    piaPageSize: 100,
  };
}

/** Applies a partial change, refusing unknown keys and values (a test typo must not pass silently). */
export function mergeModes(current: Modes, patch: Record<string, unknown>): Modes {
  const next: Modes = { ...current, stepDurationsMs: { ...current.stepDurationsMs } };
  const allowed: Record<string, (v: unknown) => boolean> = {
    etagOnGet: (v) => typeof v === "boolean",
    putWithoutIfMatch: (v) => v === "conflict" || v === "badRequest" || v === "allow",
    locationHeader: (v) => v === "Location" || v === "Operation-Location" || v === "both",
    absoluteLocation: (v) => typeof v === "boolean",
    locationApiVersion: (v) => typeof v === "boolean",
    publishCompletesAt: (v) => v === "signoff" || v === "live",
    offerStatusAtSignoff: (v) => v === "waitingForPublisherReview" || v === "running",
    terminalStatusWord: (v) => v === "complete" || v === "completed" || v === "succeeded",
    unauthorizedBody: (v) => v === "Message" || v === "error",
    stepDurationsMs: (v) =>
      typeof v === "object" &&
      v !== null &&
      !Array.isArray(v) &&
      Object.entries(v).every(
        ([id, d]) => Object.hasOwn(DEFAULT_STEP_DURATIONS, id) && typeof d === "number" && Number.isFinite(d) && d >= 0,
      ),
    tokenLifetimeSeconds: (v) => typeof v === "number" && Number.isFinite(v) && v > 0,
    clockAgesTokens: (v) => typeof v === "boolean",
    latencyMs: (v) => typeof v === "number" && v >= 0 && v <= 60_000,
    cancelStatus: (v) => v === 200 || v === 202,
    randomFaultRate: (v) => typeof v === "number" && v >= 0 && v <= 1,
    piaJobQueueMs: (v) => typeof v === "number" && Number.isFinite(v) && v >= 0,
    piaJobRunMs: (v) => typeof v === "number" && Number.isFinite(v) && v >= 0,
    piaConfigureStatus: (v) => v === 200 || v === 202,
    piaOmittedFields: (v) => v === "keep" || v === "clear",
    piaPromotedSubmission: (v) => v === "both" || v === "liveOnly",
    piaDeprecatedVersions: (v) => Array.isArray(v) && v.every((x) => typeof x === "string" && x.length <= 40),
    piaPageSize: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1000,
  };
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new Error("modes: the body must be a JSON object of modes");
  }
  for (const [key, value] of Object.entries(patch)) {
    const ok = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (!ok || !ok(value)) throw new Error(`invalid mode ${key}=${JSON.stringify(value)}`);
    if (key === "stepDurationsMs") Object.assign(next.stepDurationsMs, value);
    else (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}
