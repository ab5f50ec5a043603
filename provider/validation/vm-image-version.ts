// SPDX-License-Identifier: Apache-2.0
import { MAX_DATA_DISKS } from "../images/map.js";
import { checkSasUrl } from "../images/sas.js";
import { parseVersion } from "../images/version.js";
import { isRecord, pathKey, type JsonRecord } from "../util/json.js";
import { UNKNOWN } from "../util/unknown.js";
import { describe, Failures, type InputFailure } from "./failure.js";
import { checkId, checkPublisherId } from "./offer.js";

const ON_DELETE = ["remove", "hide", "retain"];
const DISK_KEYS = ["lun", "vhdUrl"];

/**
 * Validates VmImageVersion inputs without I/O (unknown values are skipped). `olds` are the
 * inputs last applied: a SAS URL that has not changed is not judged on its expiry again, since
 * an expired SAS of a version the service already copied is normal and must not block `up`.
 * Returns failures (the check fails) and warnings (printed). Messages never echo a URL.
 */
export function validateVmImageVersionInputs(
  inputs: JsonRecord,
  olds: JsonRecord,
  now: number,
): { failures: InputFailure[]; warnings: string[] } {
  const f = new Failures();
  const warnings: string[] = [];
  checkPublisherId(f, "publisherId", inputs.publisherId);
  checkId(f, "offerId", inputs.offerId, "offer");
  checkId(f, "planId", inputs.planId, "plan");
  const version = inputs.version;
  if (version !== UNKNOWN && (typeof version !== "string" || !parseVersion(version))) {
    f.add(
      "version",
      "version must be a disk version X.Y.Z of integers (no leading zeros, each at most " +
        `2147483647), such as "1.0.0" or "311.43.20180601"; got ${describe(version)}`,
    );
  }
  const sas = (path: string, value: unknown, old: unknown) => {
    if (value === UNKNOWN) return;
    const found = checkSasUrl(path, value, value === old ? Number.NEGATIVE_INFINITY : now);
    for (const reason of found.failures) f.add(path, reason);
    // An unchanged URL was judged when it was set; its expiry is not news.
    if (value !== old) warnings.push(...found.warnings);
  };
  sas("osVhdUrl", inputs.osVhdUrl, olds.osVhdUrl);
  const disks = inputs.dataDisks;
  if (disks !== undefined && disks !== UNKNOWN) {
    if (!Array.isArray(disks)) {
      f.add("dataDisks", `dataDisks must be an array of { lun, vhdUrl }; got ${describe(disks)}`);
    } else {
      if (disks.length > MAX_DATA_DISKS) {
        f.add("dataDisks", `dataDisks lists ${disks.length} disks; a version has at most ${MAX_DATA_DISKS}`);
      }
      const oldDisks = Array.isArray(olds.dataDisks) ? olds.dataDisks : [];
      const luns = new Map<number, number>();
      disks.forEach((disk, i) => {
        const p = `dataDisks[${i}]`;
        if (disk === UNKNOWN) return;
        if (!isRecord(disk)) {
          f.add(p, `${p} must be { lun, vhdUrl }; got ${describe(disk)}`);
          return;
        }
        for (const key of Object.keys(disk)) {
          if (!DISK_KEYS.includes(key) && disk[key] !== undefined) {
            f.add(pathKey(p, key), `${pathKey(p, key)} is not valid: a data disk has lun and vhdUrl`);
          }
        }
        const lun = disk.lun;
        if (lun !== UNKNOWN) {
          if (typeof lun !== "number" || !Number.isInteger(lun) || lun < 0 || lun > MAX_DATA_DISKS) {
            f.add(`${p}.lun`, `${p}.lun must be an integer LUN from 0 to ${MAX_DATA_DISKS}; got ${describe(lun)}`);
          } else if (luns.has(lun)) {
            const other = luns.get(lun);
            f.add(
              `${p}.lun`,
              `${p}.lun ${lun} is already used by dataDisks[${other}]; each data disk needs its own ` + "LUN",
            );
          } else luns.set(lun, i);
        }
        const old = oldDisks.find((d: unknown) => isRecord(d) && d.lun === lun);
        sas(`${p}.vhdUrl`, disk.vhdUrl, isRecord(old) ? old.vhdUrl : undefined);
      });
    }
  }
  for (const key of ["label", "mediaName", "description"]) {
    const v = inputs[key];
    if (v !== undefined && v !== UNKNOWN && (typeof v !== "string" || v.trim() === "")) {
      f.add(key, `${key} must be non-empty text (core-VM offers only); got ${describe(v)}`);
    }
  }
  const date = inputs.publishedDate;
  const US_DATE = /^(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])\/\d{4}$/;
  if (date !== undefined && date !== UNKNOWN && (typeof date !== "string" || !(date === "" || US_DATE.test(date)))) {
    f.add(
      "publishedDate",
      `publishedDate must be a date MM/DD/YYYY such as "06/01/2024" (core-VM offers only), ` +
        `or ""; got ${describe(date)}`,
    );
  }
  const mode = inputs.onDelete;
  if (mode !== undefined && mode !== UNKNOWN && !ON_DELETE.includes(mode as string)) {
    f.add(
      "onDelete",
      'onDelete must be "retain" (default: the version stays in the plan), "remove" (take it out ' +
        `of the Draft; the next publish drops it) or "hide" (core-VM offers: showInGui false); got ${describe(mode)}`,
    );
  }
  const allow = inputs.allowLowerVersion;
  if (allow !== undefined && allow !== UNKNOWN && typeof allow !== "boolean") {
    f.add("allowLowerVersion", `allowLowerVersion must be true or false; got ${describe(allow)}`);
  }
  return { failures: f.list, warnings };
}
