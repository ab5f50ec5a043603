// SPDX-License-Identifier: Apache-2.0
/**
 * One gRPC subchannel pool per channel for the inline programs an Automation API process runs,
 * as each `pulumi up` process has its own.
 *
 * Why: the Automation API runs every operation's program in this process, and the SDK never
 * closes the monitor and engine clients it opens for a run (runtime/settings.js: disconnectSync
 * closes only the module-level clients, not the run's store-level ones). grpc-js shares
 * subchannels process-wide among channels to the same address with the same options. A leaked
 * client that called after its CLI had exited keeps a subchannel to that port in connection
 * backoff; a later CLI that listens on the same port then hands its program a channel sharing
 * that subchannel, and the program's first call fails at once with "14 UNAVAILABLE: No
 * connection established". In a suite of hundreds of runs in one process, ports come round
 * again: a `pulumi up` of the engine tests failed this way.
 */

/** The SDK module whose client options every monitor and engine client is created with. */
interface SdkSettings {
  grpcClientOptions: Record<string, unknown>;
}

/**
 * Makes every monitor and engine client that the SDK loaded by `sdk` creates from now on use a
 * subchannel pool of its own. Idempotent.
 */
export function isolateInlinePrograms(sdk: NodeJS.Require): void {
  const settings = sdk("@pulumi/pulumi/runtime/settings") as SdkSettings;
  settings.grpcClientOptions["grpc.use_local_subchannel_pool"] = 1;
}
