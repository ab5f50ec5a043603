// SPDX-License-Identifier: Apache-2.0
import { spawn } from "node:child_process";

/**
 * Runs `node <script>` with extra environment variables and resolves with its wall-clock time in
 * ms (spawn to exit). Arguments travel in the environment, not argv, so a credential they carry
 * never shows in a process listing.
 */
export function timeNodeProcess(script: string, env: Record<string, string>): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      const ms = performance.now() - t;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`${script} exited ${code}: ${stderr.trim()}`));
    });
  });
}
