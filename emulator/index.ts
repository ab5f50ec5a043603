// SPDX-License-Identifier: Apache-2.0
/**
 * The emulator of the Cloud Partner Portal API, the Product Ingestion API and Azure AD
 * (`pulumi-cloudpartner/emulator`): a real HTTP server on loopback implementing
 * docs/internals/api-notes.md (Parts I and II, one store seen through both APIs), for demos,
 * tests and users' own CI.
 */
import { EmulatorControl } from "./control-client.js";
import { EmulatorServer, type ServerOptions } from "./server.js";

export { EmulatorControl, type SeedPrincipal, type SeedRequest } from "./control-client.js";
export { defaultModes, FAST_TIME_SCALE, type Modes } from "./modes.js";
export { MAX_BODY_BYTES, MAX_JSON_DEPTH } from "./server.js";
export type { LogEntry } from "./state.js";

/** Options of {@link startEmulator}. */
export type EmulatorOptions = ServerOptions;
export type { ServerOptions };

/** What a client needs to use the emulator (the CLI prints the same as its first line). */
export interface EmulatorInfo {
  /** The CPP API's base URL (also the root of every other route). */
  apiUrl: string;
  /** The Product Ingestion API's base URL (`${apiUrl}/rp/product-ingestion`). */
  productIngestionUrl: string;
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  publisherId: string;
  controlUrl: string;
  /** The emulator's own OIDC issuer (`${apiUrl}/_oidc`), for federated credentials. */
  oidcIssuer: string;
  /** With `tls`: the CA certificate file to trust (e.g. `NODE_EXTRA_CA_CERTS`). */
  caFile?: string;
  /** With `publicUrl`: the URL absolute links are built from. */
  publicUrl?: string;
}

/** A running emulator. */
export interface EmulatorHandle extends EmulatorInfo {
  control: EmulatorControl;
  close(): Promise<void>;
}

/** Starts an emulator on loopback (`port: 0` picks a free port). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const server = new EmulatorServer(options);
  const base = await server.listen();
  const info: EmulatorInfo = {
    apiUrl: base,
    productIngestionUrl: `${base}/rp/product-ingestion`,
    authorityUrl: base,
    tenantId: server.identity.tenantId,
    clientId: server.identity.clientId,
    clientSecret: server.identity.clientSecret,
    publisherId: server.identity.publisherId,
    controlUrl: `${base}/_emulator`,
    oidcIssuer: `${options.publicUrl?.replace(/\/+$/, "") ?? base}/_oidc`,
    ...(server.caFile ? { caFile: server.caFile } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl.replace(/\/+$/, "") } : {}),
  };
  return { ...info, control: new EmulatorControl(info.controlUrl), close: () => server.close() };
}
