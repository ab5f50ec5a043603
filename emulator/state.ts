// SPDX-License-Identifier: Apache-2.0
import type { ClockState } from "./clock.js";
import type { SigningKey } from "./jwt.js";
import type { Modes } from "./modes.js";

/** A JSON offer document as stored. */
export type Doc = Record<string, any>;

/** A service principal that may call the API. */
export interface Principal {
  clientId: string;
  tenantId: string;
  objectId: string;
  clientSecret?: string;
  certificate?: { thumbprint?: string; thumbprintSha256?: string; publicKeyPem: string };
  /** Workload identity federation: assertions of `issuer` about `subject` for `audience`. */
  federated?: FederatedCredential;
  publishers: string[];
}

/** The audience a federated credential expects unless seeded otherwise (as Azure AD's default). */
export const DEFAULT_FEDERATED_AUDIENCE = "api://AzureADTokenExchange";

/**
 * A federated identity credential of a principal (docs/emulator.md, "Federated credentials").
 * The issuer's keys: the emulator's own OIDC key when `issuer` is the emulator's issuer
 * (`…/_oidc`), else the seeded `jwks`.
 */
export interface FederatedCredential {
  issuer: string;
  subject: string;
  audience: string;
  jwks?: { keys: Array<Record<string, unknown>> };
}

/** A forced end of an operation (control API). */
export interface ForcedOutcome {
  outcome: "fail" | "block" | "reject" | "cancel";
  step: string;
  message?: string;
}

/** A long-running operation. Its progress is computed from the emulated clock (operations.ts). */
export interface Operation {
  id: string;
  type: "publish" | "goLive" | "cancel";
  publisherId: string;
  offerId: string;
  createdAt: number;
  publishingVersion: number;
  offerVersion: number;
  emails?: string;
  /** The Draft at submission: what Preview (and then Production) become. */
  snapshot?: Doc;
  forced?: ForcedOutcome;
  canceledAt?: number;
  /** Side effects already applied (Preview at sign-off, Production at live). */
  applied: { preview?: boolean; production?: boolean; failed?: boolean };
  /** The Product Ingestion API's 19-digit submission number of this publication (given on first sight). */
  submission?: string;
  /** The product's PIA-only resource fields at submission (see PiaRecord.extras). */
  piaSnapshot?: Record<string, Doc>;
}

/** One offer with its slots, versions and secrets. */
export interface OfferRecord {
  draft: Doc;
  etag: string;
  migrated: boolean;
  /** Secret field values by JSON path, which GET omits (docs/internals/api-notes.md §5.2). */
  secrets: Record<string, unknown>;
  preview?: Doc;
  production?: Doc;
  versions: Record<string, Doc>;
  publishCount: number;
  pendingOutcome?: ForcedOutcome;
  /** The offer as a Product Ingestion API product (emulator/pia/), made on first sight through PIA. */
  pia?: PiaRecord;
}

/**
 * What the Product Ingestion API knows of an offer beyond the CPP document (one store, two APIs):
 * its GUIDs, and per durable id the fields of PIA resources that the document cannot hold
 * (a second image generation, lifecycle states, assets beyond the logos, whole resource types
 * CPP has no counterpart for). The document stays the source of every field both APIs have.
 */
export interface PiaRecord {
  product: string;
  /** Plan GUID by CPP planId. */
  plans: Record<string, string>;
  /** Draft resources as last written through PIA, by durable id. */
  extras: Record<string, Doc>;
  /** Extras of the Preview and Production slots (copied at sign-off and at go-live). */
  previewExtras?: Record<string, Doc>;
  liveExtras?: Record<string, Doc>;
}

/** A Product Ingestion API configure job (emulator/pia/jobs.ts): its result is computed from the clock. */
export interface PiaJob {
  id: string;
  /** The publishers (Partner Center account) of the caller. */
  publishers: string[];
  createdAt: number;
  /** When it starts and ends processing its resources (jobs of one account are processed in order). */
  startAt: number;
  doneAt: number;
  /** The configure request's resources, as posted. */
  resources: Doc[];
  /** Set once processed (at `doneAt`). */
  applied?: {
    result: "succeeded" | "failed" | "cancelled";
    errors: Doc[];
    /** The resources as stored, with durable ids (configure detail). */
    resources: Doc[];
    /** The offer the job wrote, and the operation its submission started. */
    offerKey?: string;
    operationId?: string;
  };
  cancelledAt?: number;
}

/** A pending fault (control API). */
export interface Fault {
  id: string;
  method?: string;
  path: string;
  count: number;
  status?: number;
  retryAfter?: number | string;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  reset?: boolean;
}

/** One logged request. */
export interface LogEntry {
  seq: number;
  at: string;
  /** `api`: the CPP API; `pia`: the Product Ingestion API; `aad`: Azure AD. */
  kind: "api" | "aad" | "pia";
  method: string;
  path: string;
  query: string;
  status: number;
  durationMs: number;
  ifMatch?: string;
  clientId?: string;
}

/** Everything the emulator knows: what is persisted to the state file. */
export interface EmulatorState {
  tenantId: string;
  /** Further tenants Azure AD knows (each tenant that has a principal is known too). */
  tenants?: string[];
  publishers: Array<{ id: string; displayText: string }>;
  principals: Principal[];
  offers: Record<string, OfferRecord>;
  operations: Operation[];
  /** Product Ingestion API configure jobs, oldest first. */
  piaJobs?: PiaJob[];
  /** Counter of PIA submission numbers. */
  piaSeq?: number;
  modes: Modes;
  faults: Fault[];
  log: LogEntry[];
  seq: number;
  lastEtagTicks: number;
  key: SigningKey;
  /** Key of the emulator's own OIDC issuer (`/_oidc`), made on first use. */
  oidcKey?: SigningKey;
  clock?: ClockState;
}

/** Key of an offer in the state map. */
export function offerKey(publisherId: string, offerId: string): string {
  return `${publisherId}/${offerId}`;
}

/** Every tenant Azure AD answers for: the start tenant, seeded tenants, and principals' tenants. */
export function knownTenants(state: EmulatorState): Set<string> {
  return new Set([state.tenantId, ...(state.tenants ?? []), ...state.principals.map((p) => p.tenantId)]);
}
