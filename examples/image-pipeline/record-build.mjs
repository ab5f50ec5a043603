// SPDX-License-Identifier: Apache-2.0
// The build step's last act: record a new image build in the builds file the program reads.
// Usage: node record-build.mjs <version X.Y.Z> <SAS URL of the OS VHD> [builds file, default builds.json]
// The URL carries a SAS signature: keep the builds file a pipeline artifact, out of version control.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const [version, osVhdUrl, file = "builds.json"] = process.argv.slice(2);
if (!/^\d+\.\d+\.\d+$/.test(version ?? "") || !/^https:\/\//.test(osVhdUrl ?? "")) {
  console.error("usage: node record-build.mjs <version X.Y.Z> <https SAS URL of the OS VHD> [builds.json]");
  process.exit(2);
}
const builds = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
if (builds.some((b) => b.version === version)) {
  console.error(`${file} already records version ${version}; a new build needs a higher version`);
  process.exit(1);
}
builds.push({ version, osVhdUrl });
writeFileSync(file, JSON.stringify(builds, null, 2) + "\n");
console.log(`recorded ${version} in ${file} (${builds.length} builds)`);
