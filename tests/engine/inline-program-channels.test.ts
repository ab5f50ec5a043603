// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { createRequire } from "node:module";
import { join } from "node:path";
import { engineKit, type EngineKit } from "../helpers/engine.js";

type Grpc = typeof import("@grpc/grpc-js");
type Options = Record<string, unknown>;

/**
 * The engine kit's inline programs get channels of their own, as separate `pulumi up` processes
 * do: a client the SDK leaked in an earlier run cannot fail the next run's first call.
 */
describe("engine: an inline program's gRPC channels share nothing with earlier runs'", function () {
  this.timeout(120_000);
  let kit: EngineKit;
  let grpc: Grpc;
  let rpc: any;
  let pb: any;
  let settings: { grpcClientOptions: Options };

  before(async () => {
    kit = await engineKit();
    // The SDK and grpc-js the kit's programs run with (the subchannel pool is grpc-js's, per copy).
    const sdk = createRequire(join(kit.project, "package.json"));
    settings = sdk("@pulumi/pulumi/runtime/settings");
    rpc = sdk("@pulumi/pulumi/proto/resource_grpc_pb");
    pb = sdk("@pulumi/pulumi/proto/resource_pb");
    grpc = createRequire(sdk.resolve("@pulumi/pulumi/package.json"))("@grpc/grpc-js");
  });

  /** A resource monitor on `port` (0: any free one) that answers SupportsFeature. */
  const monitor = (port: number) =>
    new Promise<{ server: InstanceType<Grpc["Server"]>; port: number }>((resolve, reject) => {
      const server = new grpc.Server();
      server.addService(rpc.ResourceMonitorService, {
        supportsFeature: (_call: unknown, cb: (e: null, r: unknown) => void) =>
          cb(null, new pb.SupportsFeatureResponse().setHassupport(true)),
      });
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve({ server, port: p }),
      );
    });
  const supportsFeature = (client: any) =>
    new Promise<string>((resolve) =>
      client.supportsFeature(new pb.SupportsFeatureRequest().setId("secrets"), (e: Error | null) =>
        resolve(e ? e.message : "ok"),
      ),
    );

  /**
   * An earlier run's monitor client, never closed, calls after its CLI exited; a later CLI's
   * monitor listens on the same port; that run's program opens its monitor client, created
   * like the SDK's, and calls. Returns what that first call got.
   */
  async function laterRunOnAReusedPort(options: Options): Promise<string> {
    // A long reconnect backoff holds the leaked subchannel in its failure for the whole case,
    // however slow the machine (grpc-js's default is 1 s, then longer).
    const opts = { ...options, "grpc.initial_reconnect_backoff_ms": 60_000 };
    const first = await monitor(0);
    const leaked = new rpc.ResourceMonitorClient(`127.0.0.1:${first.port}`, grpc.credentials.createInsecure(), opts);
    expect(await supportsFeature(leaked)).to.equal("ok");
    first.server.forceShutdown();
    // Its reconnect failed: the subchannel is now in backoff (not merely idle after a dropped connection).
    expect(await supportsFeature(leaked)).to.match(/^14 UNAVAILABLE: No connection established/);
    const second = await monitor(first.port);
    const fresh = new rpc.ResourceMonitorClient(`127.0.0.1:${first.port}`, grpc.credentials.createInsecure(), opts);
    try {
      return await supportsFeature(fresh);
    } finally {
      fresh.close();
      leaked.close();
      second.server.forceShutdown();
    }
  }

  it("without a pool of its own, the later run's first call fails at once (what the kit prevents)", async () => {
    const shared = { ...settings.grpcClientOptions, "grpc.use_local_subchannel_pool": undefined };
    expect(await laterRunOnAReusedPort(shared)).to.match(/^14 UNAVAILABLE: No connection established/);
  });

  it("the kit's SDK creates monitor and engine clients with a pool of their own: the call succeeds", async () => {
    expect(settings.grpcClientOptions["grpc.use_local_subchannel_pool"]).to.equal(1);
    expect(await laterRunOnAReusedPort(settings.grpcClientOptions)).to.equal("ok");
  });
});
