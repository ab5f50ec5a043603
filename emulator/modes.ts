// SPDX-License-Identifier: Apache-2.0
/** Switchable behaviours of the emulator (docs/emulator.md, "Modes"). */
export interface Modes {
  etagOnGet: boolean;
  putWithoutIfMatch: "conflict" | "badRequest" | "allow";
  locationHeader: "Location" | "Operation-Location" | "both";
  absoluteLocation: boolean;
  locationApiVersion: boolean;
  publishCompletesAt: "signoff" | "live";
  terminalStatusWord: "complete" | "completed" | "succeeded";
  unauthorizedBody: "Message" | "error";
  stepDurationsMs: Record<string, number>;
  tokenLifetimeSeconds: number;
  latencyMs: number;
  cancelStatus: 200 | 202;
  /** Share (0–1) of GET and PUT API requests answered 429, 500 or 503 at random (load tests). */
  randomFaultRate: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Default step durations in emulated ms, from the documented estimates (cpp-api.md §7.2). */
export const DEFAULT_STEP_DURATIONS: Record<string, number> = {
  displaydummycertify: 15 * MIN,
  displaycertify: 2 * HOUR,
  displayprovision: 3 * DAY,
  displaypackage: 4 * DAY,
  live: 4 * DAY,
};

/** The modes a fresh or reset emulator has. */
export function defaultModes(): Modes {
  return {
    etagOnGet: true,
    putWithoutIfMatch: "conflict",
    locationHeader: "Location",
    absoluteLocation: false,
    locationApiVersion: true,
    publishCompletesAt: "signoff",
    terminalStatusWord: "complete",
    unauthorizedBody: "Message",
    stepDurationsMs: { ...DEFAULT_STEP_DURATIONS },
    tokenLifetimeSeconds: 3600,
    latencyMs: 0,
    cancelStatus: 202,
    randomFaultRate: 0,
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
    terminalStatusWord: (v) => v === "complete" || v === "completed" || v === "succeeded",
    unauthorizedBody: (v) => v === "Message" || v === "error",
    stepDurationsMs: (v) => typeof v === "object" && v !== null && Object.values(v).every((d) => typeof d === "number" && d >= 0),
    tokenLifetimeSeconds: (v) => typeof v === "number" && v > 0,
    latencyMs: (v) => typeof v === "number" && v >= 0,
    cancelStatus: (v) => v === 200 || v === 202,
    randomFaultRate: (v) => typeof v === "number" && v >= 0 && v <= 1,
  };
  for (const [key, value] of Object.entries(patch)) {
    const ok = allowed[key];
    if (!ok || !ok(value)) throw new Error(`invalid mode ${key}=${JSON.stringify(value)}`);
    if (key === "stepDurationsMs") Object.assign(next.stepDurationsMs, value);
    else (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}
