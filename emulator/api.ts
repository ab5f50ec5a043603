// SPDX-License-Identifier: Apache-2.0
import type { Aad } from "./aad.js";
import { errorReply, type Reply, type Service } from "./service.js";
import type { EmulatorState } from "./state.js";
import { decodePath } from "./validation.js";

/** One API request, parsed. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Why the body could not be used (not JSON, too deep); undefined when it could. */
  bodyError?: string;
}

const SECRETLESS_SLOTS: Record<string, "draft" | "preview" | "production"> = {
  draft: "draft",
  preview: "preview",
  production: "production",
};

/**
 * The CPP API routes (E1–E14 of docs/internals/api-notes.md): api-version check, authentication (401) and
 * per-publisher authorisation (403), then the Service.
 */
export function handleApi(
  req: ApiRequest,
  state: EmulatorState,
  service: Service,
  aad: Aad,
): { reply: Reply; clientId?: string } {
  const version = req.query.get("api-version");
  if (version !== "2017-10-31") {
    return { reply: errorReply(400, "InvalidAPIVersion", "Invalid api version. Allowed values are [2017-10-31]") };
  }
  const auth = aad.validate(header(req, "authorization"));
  if ("error" in auth) {
    const body =
      state.modes.unauthorizedBody === "Message"
        ? { Message: "Authorization has been denied for this request." }
        : { error: { code: "Unauthorized", message: "Authorization has been denied for this request." } };
    return {
      reply: {
        status: 401,
        body,
        headers: {
          "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
        },
      },
    };
  }
  const clientId = auth.clientId;
  const principal = state.principals.find((p) => p.clientId === clientId && p.tenantId === auth.tenantId);
  const allowed = (pub: string) => principal?.publishers.includes(pub) ?? false;
  const forbidden = (pub: string) =>
    errorReply(
      403,
      "Forbidden",
      `The client '${clientId}' does not have access to the specified namespace '${pub}'. Add the service principal to the publisher account.`,
    );
  const done = (reply: Reply) => ({ reply, clientId });
  const seg = decodePath(req.path); // ["api", ...]
  if (!seg) {
    return done(errorReply(400, "BadRequest", "The request URL is not valid: malformed percent-encoding in the path."));
  }
  const m = req.method;
  if (req.bodyError && (m === "POST" || m === "PUT")) return done(errorReply(400, "BadRequest", req.bodyError));

  if (m === "GET" && seg.length === 2 && seg[1] === "publishers") {
    return done({
      status: 200,
      body: state.publishers
        .filter((p) => allowed(p.id))
        .map((p, i) => ({
          id: p.id,
          definition: { displayText: p.displayText, offerTypeCategories: ["vm"], sellerId: 1000 + i },
        })),
    });
  }
  if (m === "GET" && seg.length === 2 && seg[1] === "offerTypes") {
    return done({
      status: 200,
      body: [
        "microsoft-azure-virtualmachines",
        "microsoft-azure-corevm",
        "microsoft-azure-applications",
        "vs-marketplace-extensions",
      ].map((id) => ({ id, displayText: id })),
    });
  }
  if (seg[1] === "operations" && seg.length === 3 && m === "GET") {
    // E14: /api/operations/{pub}${offer}${n}${slot}
    const [pub, offerId, n, slot] = seg[2].split("$");
    if (!pub || !offerId || !n || !slot) return done(errorReply(404, "NotFound", "Operation not found."));
    if (!allowed(pub)) return done(forbidden(pub));
    const record = service.offer(pub, offerId);
    const op = record && service.findOperation(pub, offerId, undefined, { version: Number(n), slot });
    if (!record || !op) return done(errorReply(404, "NotFound", `Operation ${seg[2]} not found.`));
    return done({ status: 200, body: service.operationDetail(record, op) });
  }
  if (seg[1] !== "publishers" || seg.length < 4 || seg[3] !== "offers")
    return done(errorReply(404, "NotFound", `No route for ${m} ${req.path}.`));
  const pub = seg[2];
  if (!state.publishers.some((p) => p.id === pub))
    return done(errorReply(404, "NotFound", `Publisher '${pub}' not found.`));
  if (!allowed(pub)) return done(forbidden(pub));
  if (seg.length === 4 && m === "GET") {
    return done({
      status: 200,
      body: Object.values(state.offers)
        .filter((o) => o.draft.publisherId === pub)
        .map((o) => {
          service.settle(o);
          return {
            offerTypeId: o.draft.offerTypeId,
            publisherId: pub,
            status: o.draft.status,
            id: o.draft.id,
            version: o.draft.version,
            definition: { displayText: o.draft.definition?.displayText },
            changedTime: o.draft.changedTime,
          };
        }),
    });
  }
  const offerId = seg[4];
  if (seg.length === 5 && m === "PUT") {
    return done(service.put(pub, offerId, req.body, header(req, "if-match")));
  }
  const record = service.offer(pub, offerId);
  if (!record) return done(errorReply(404, "NotFound", `Offer '${offerId}' of publisher '${pub}' not found.`));
  const rest = seg.slice(5);
  const emails = notificationEmails(req.body);
  if (m === "GET" && rest.length === 0) return done(getDoc(service, record, "draft", req, state));
  if (m === "GET" && rest[0] === "slot" && rest.length === 2) {
    const name = rest[1].toLowerCase();
    const slot = Object.hasOwn(SECRETLESS_SLOTS, name) ? SECRETLESS_SLOTS[name] : undefined;
    if (!slot)
      return done(errorReply(400, "BadRequest", `Unknown slot '${rest[1]}': use Draft, Preview or Production.`));
    return done(getDoc(service, record, slot, req, state));
  }
  if (m === "GET" && rest[0] === "versions" && rest.length === 2) {
    service.settle(record);
    const n = Number(rest[1]);
    const doc = n === record.draft.version ? record.draft : record.versions[String(n)];
    if (!doc) return done(errorReply(404, "NotFound", `Version ${rest[1]} of offer '${offerId}' not found.`));
    return done({ status: 200, body: shape(doc, req) });
  }
  if (m === "GET" && rest[0] === "status" && rest.length === 1)
    return done({ status: 200, body: service.statusDocument(record) });
  if (m === "POST" && rest.length === 1 && rest[0] === "publish") return done(service.publish(record, emails));
  if (m === "POST" && rest.length === 1 && rest[0] === "golive") return done(service.goLive(record, emails));
  if (m === "POST" && rest.length === 1 && rest[0] === "cancel") return done(service.cancel(record));
  if (m === "GET" && rest[0] === "submissions" && rest.length === 1) {
    return done({
      status: 200,
      body: service.operationSummaries(
        record,
        req.query.get("status") ?? req.query.get("submissionState") ?? undefined,
      ),
    });
  }
  if (m === "GET" && rest[0] === "operations" && rest.length === 2) {
    const op = service.findOperation(pub, offerId, rest[1]);
    if (!op) return done(errorReply(404, "NotFound", `Operation '${rest[1]}' not found.`));
    return done({ status: 200, body: service.operationDetail(record, op) });
  }
  return done(errorReply(404, "NotFound", `No route for ${m} ${req.path}.`));
}

function getDoc(
  service: Service,
  record: Parameters<Service["settle"]>[0],
  slot: "draft" | "preview" | "production",
  req: ApiRequest,
  state: EmulatorState,
): Reply {
  service.settle(record);
  const doc = slot === "draft" ? record.draft : record[slot];
  if (!doc)
    return errorReply(
      404,
      "NotFound",
      `There is no ${slot === "preview" ? "Preview (staging)" : "Production"} slot deployed for this offer.`,
    );
  const headers: Record<string, string> = slot === "draft" && state.modes.etagOnGet ? { ETag: record.etag } : {};
  return { status: 200, body: shape(doc, req), headers };
}

/** Without includeAllPricing, per-market prices are left out of plan pricing (docs/internals/api-notes.md §6.4). */
function shape(doc: Record<string, any>, req: ApiRequest): Record<string, any> {
  if (req.query.get("includeAllPricing") === "true") return doc;
  const copy = JSON.parse(JSON.stringify(doc));
  for (const plan of copy.definition?.plans ?? []) {
    for (const key of ["virtualMachinePricing", "virtualMachinePricingV2"]) {
      if (plan[key] && typeof plan[key] === "object") delete plan[key].regionPrices;
    }
  }
  return copy;
}

function notificationEmails(body: unknown): string | undefined {
  const meta = (body as { metadata?: Record<string, unknown> } | undefined)?.metadata;
  const v = meta?.["notification-emails"];
  return typeof v === "string" ? v : undefined;
}

function header(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
