// SPDX-License-Identifier: Apache-2.0
/**
 * Loaded with `node -r` into the dynamic-provider host by bench/profile-host.ts: profiles the
 * host's CPU from its first module on, and writes the profile (Chrome's .cpuprofile format) to
 * `$CPP_PROFILE_DIR/host-<pid>.cpuprofile` when the CLI stops the host (SIGINT or SIGTERM) or it
 * exits. Node's own `--cpu-prof` does not do: it writes its profile only when the process exits by
 * itself, and the CLI stops a host with SIGINT, which ends Node without running its exit path.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";

const dir = process.env.CPP_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 200 });
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // The inspector answers synchronously in the same thread, so this completes before exit.
    session.post("Profiler.stop", (err, result) => {
      if (!err) writeFileSync(join(dir, `host-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      write();
      process.exit(0);
    });
}
