// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Aad } from "./aad.js";
import { handleApi } from "./api.js";
import { EmulatedClock } from "./clock.js";
import { handleControl } from "./control.js";
import { takeFault } from "./faults.js";
import { loadState, saveState } from "./persistence.js";
import { defaultIdentity, initialState, type SeedIdentity } from "./seed.js";
import { errorReply, Service, type Reply } from "./service.js";
import type { EmulatorState, Fault } from "./state.js";
import { mergeModes, type Modes } from "./modes.js";
import { handleOidc, OIDC_PATH } from "./oidc.js";

/** Options of the emulator server. */
export interface ServerOptions {
  port?: number;
  host?: string;
  stateFile?: string;
  timeScale?: number;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  modes?: Partial<Modes>;
  /**
   * The URL clients address the emulator by (e.g. `https://cloudpartner.azure.com` behind a
   * proxy): every absolute URL it writes is built from it instead of the request's Host.
   */
  publicUrl?: string;
}

const MAX_LOG = 100_000;
/** A Host header we build URLs from: a DNS name or IPv4 address, or a bracketed IPv6, and a port. */
const HOST_HEADER = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * The emulator's HTTP server: `/api` (CPP), `/aad` (Azure AD), `/_emulator` (control). It owns
 * the state, the clock and persistence; request handling is delegated to api.ts, aad.ts and
 * control.ts.
 */
export class EmulatorServer {
  readonly identity: SeedIdentity;
  private state: EmulatorState;
  private clock: EmulatedClock;
  private service!: Service;
  private aad!: Aad;
  private server?: Server;
  private baseUrl = "";
  private readonly startModes: Partial<Modes>;

  constructor(private readonly options: ServerOptions = {}) {
    const persisted = options.stateFile ? loadState(options.stateFile) : undefined;
    if (persisted) {
      this.state = persisted;
      const principal = persisted.principals[0];
      this.identity = { tenantId: persisted.tenantId, clientId: principal.clientId, clientSecret: principal.clientSecret ?? "", publisherId: principal.publishers[0] ?? "contoso" };
      this.clock = persisted.clock ? EmulatedClock.fromJSON(persisted.clock) : new EmulatedClock(options.timeScale ?? 1);
      if (options.timeScale !== undefined) this.clock.setScale(options.timeScale);
    } else {
      this.identity = defaultIdentity({ tenantId: options.tenantId, clientId: options.clientId, clientSecret: options.clientSecret });
      this.state = initialState(this.identity);
      this.clock = new EmulatedClock(options.timeScale ?? 1);
    }
    this.startModes = options.modes ?? {};
    if (!persisted) this.state.modes = mergeModes(this.state.modes, this.startModes);
    this.wire();
  }

  private wire(): void {
    this.service = new Service(this.state, this.clock, () => this.persist());
    this.service.setBaseUrl(this.baseUrl);
    this.aad = new Aad(this.state, this.clock);
  }

  /** Starts listening; resolves to the base URL. */
  async listen(): Promise<string> {
    const server = createServer((req, res) => void this.dispatch(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    const addr = server.address() as AddressInfo;
    const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
    this.baseUrl = `http://${host}:${addr.port}`;
    this.service.setBaseUrl(this.baseUrl);
    this.persist();
    return this.baseUrl;
  }

  /** Stops the server (persisting first). */
  async close(): Promise<void> {
    this.persist();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private persist(): void {
    if (!this.options.stateFile) return;
    this.state.clock = this.clock.toJSON();
    saveState(this.options.stateFile, this.state);
  }

  private reset(): void {
    const fresh = initialState(this.identity, this.state.key);
    fresh.modes = mergeModes(fresh.modes, this.startModes);
    for (const k of Object.keys(this.state) as Array<keyof EmulatorState>) delete (this.state as Partial<EmulatorState>)[k];
    Object.assign(this.state, fresh);
    this.clock.restart(this.options.timeScale ?? 1);
    this.persist();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = (req.method ?? "GET").toUpperCase();
    const raw = await readBody(req);
    const path = url.pathname;
    const base = this.requestBase(req);
    if (path.startsWith(OIDC_PATH)) {
      return send(res, handleOidc(method, path, this.state, base) ?? { status: 404, body: { error: "not_found" } });
    }
    if (path.startsWith("/_emulator")) {
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return send(res, { status: 400, body: { error: "invalid JSON" } });
      }
      const reply = handleControl(method, path.slice("/_emulator".length) || "/", url.searchParams, body, {
        state: this.state, base, service: this.service, clock: this.clock, reset: () => this.reset(), changed: () => this.persist(),
      });
      return send(res, reply);
    }
    const kind = isAadPath(path) ? "aad" : "api";
    const fault = takeFault(this.state.faults, method, path) ?? this.randomFault(method, path);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.reset) {
      this.log(kind, method, url, 0, started, req);
      req.socket.destroy();
      return;
    }
    let reply: Reply;
    let clientId: string | undefined;
    if (fault?.status) {
      reply = { status: fault.status, body: fault.body ?? { error: { code: "InjectedFault", message: `Injected HTTP ${fault.status}.` } }, headers: { ...(fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {}), ...(fault.headers ?? {}) } };
    } else if (kind === "aad") {
      const handled = this.aad.handle(method, path, new URLSearchParams(raw), base);
      reply = handled?.reply ?? { status: 404, body: { error: "not_found" } };
      clientId = handled?.clientId;
    } else if (path.startsWith("/api/")) {
      if (this.state.modes.latencyMs > 0) await sleep(this.state.modes.latencyMs);
      let body: unknown;
      let bodyError = false;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        bodyError = true;
      }
      this.service.setBaseUrl(base);
      const handled = handleApi({ method, path, query: url.searchParams, headers: req.headers, body, bodyError }, this.state, this.service, this.aad);
      reply = handled.reply;
      clientId = handled.clientId;
    } else {
      reply = errorReply(404, "NotFound", `No route for ${method} ${path}.`);
    }
    if (kind === "api") {
      const corr = req.headers["x-ms-correlationid"];
      reply.headers = { "x-ms-requestid": randomUUID(), "x-ms-correlationid": (Array.isArray(corr) ? corr[0] : corr) ?? randomUUID(), ...reply.headers };
    }
    this.log(kind, method, url, reply.status, started, req, clientId);
    send(res, reply);
  }

  /**
   * The URL a request was addressed to, from which absolute URLs are built: the public URL when
   * one is set, else the request's Host (so a client that reaches the emulator through a hosts
   * entry or a proxy sees its own host name), else the listening address.
   */
  private requestBase(req: IncomingMessage): string {
    if (this.options.publicUrl) return this.options.publicUrl.replace(/\/+$/, "");
    const host = req.headers.host;
    if (typeof host === "string" && HOST_HEADER.test(host)) return `${new URL(this.baseUrl).protocol}//${host}`;
    return this.baseUrl;
  }

  /** Mode randomFaultRate: a seeded share of GET/PUT API requests fails with 429, 500 or 503. */
  private randomFault(method: string, path: string): Fault | undefined {
    const rate = this.state.modes.randomFaultRate;
    if (!(rate > 0) || !path.startsWith("/api/") || (method !== "GET" && method !== "PUT")) return undefined;
    this.rng = (this.rng * 1_103_515_245 + 12_345) % 2_147_483_648;
    if (this.rng / 2_147_483_648 >= rate) return undefined;
    const status = [429, 500, 503][this.rng % 3];
    return { id: "random", path, count: 1, status, ...(status !== 500 ? { retryAfter: 0 } : {}) };
  }

  private rng = 42;

  private log(kind: "api" | "aad", method: string, url: URL, status: number, started: number, req: IncomingMessage, clientId?: string): void {
    const ifMatch = req.headers["if-match"];
    this.state.seq += 1;
    this.state.log.push({
      seq: this.state.seq, at: new Date().toISOString(), kind, method, path: url.pathname, query: url.search, status, durationMs: Date.now() - started,
      ...(typeof ifMatch === "string" ? { ifMatch } : {}), ...(clientId ? { clientId } : {}),
    });
    if (this.state.log.length > MAX_LOG) this.state.log.splice(0, this.state.log.length - MAX_LOG);
  }
}

/**
 * Azure AD paths sit at the root like on login.microsoftonline.com (`/{tenant}/oauth2/…`):
 * msal-node rewrites endpoint paths relative to the authority, so a prefix would break it.
 */
function isAadPath(path: string): boolean {
  return /^\/[^/]+\/(v2\.0\/\.well-known|oauth2|discovery)\//.test(path);
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { "Cache-Control": "no-cache", ...reply.headers };
  // A string body is sent as is (an injected gateway page); anything else as JSON.
  const raw = typeof reply.body === "string";
  if (reply.body !== undefined) headers["Content-Type"] = raw ? (/^\s*</.test(reply.body as string) ? "text/html" : "text/plain") : "application/json; charset=utf-8";
  res.writeHead(reply.status, headers);
  res.end(reply.body === undefined ? undefined : raw ? (reply.body as string) : JSON.stringify(reply.body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
