// SPDX-License-Identifier: Apache-2.0
/**
 * The Cloud Partner Portal + Azure AD emulator (`pulumi-cloudpartner/emulator`): a real HTTP
 * server on loopback implementing cpp-api.md, for demos, tests and users' own CI.
 */
import { EmulatorControl } from "./control-client.js";
import { EmulatorServer, type ServerOptions } from "./server.js";

export { EmulatorControl, type SeedPrincipal, type SeedRequest } from "./control-client.js";
export { defaultModes, type Modes } from "./modes.js";
export type { LogEntry } from "./state.js";

/** Options of {@link startEmulator}. */
export type EmulatorOptions = ServerOptions;

/** What a client needs to use the emulator (the CLI prints the same as its first line). */
export interface EmulatorInfo {
  apiUrl: string;
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  publisherId: string;
  controlUrl: string;
  /** The emulator's own OIDC issuer (`${apiUrl}/_oidc`), for federated credentials. */
  oidcIssuer: string;
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
    authorityUrl: base,
    tenantId: server.identity.tenantId,
    clientId: server.identity.clientId,
    clientSecret: server.identity.clientSecret,
    publisherId: server.identity.publisherId,
    controlUrl: `${base}/_emulator`,
    oidcIssuer: `${base}/_oidc`,
  };
  return { ...info, control: new EmulatorControl(info.controlUrl), close: () => server.close() };
}
