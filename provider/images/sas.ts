// SPDX-License-Identifier: Apache-2.0

/** How long a SAS URL should stay valid after it is written: certification takes up to weeks. */
export const SAS_WARN_DAYS = 21;
const DAY_MS = 86_400_000;

/** What a SAS URL check found: failures stop the apply, warnings are printed. */
export interface SasFindings {
  failures: string[];
  warnings: string[];
}

/**
 * Checks that `url` is an https blob SAS URL the service can copy a VHD from: `sp` grants read
 * and list, `se` is a valid expiry that has not passed, and there is a signature. Warns when
 * the expiry is less than three weeks away (certification must finish before it). Messages
 * name `path` and never echo the URL, which carries the signature.
 */
export function checkSasUrl(path: string, url: unknown, now: number): SasFindings {
  const out: SasFindings = { failures: [], warnings: [] };
  const example = "https://<account>.blob.core.windows.net/<container>/<disk>.vhd?sv=…&sp=rl&se=<expiry>&sig=…";
  if (typeof url !== "string" || url === "") {
    out.failures.push(`${path} must be an https SAS URL of a VHD, such as ${example}`);
    return out;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    out.failures.push(`${path} is not a URL; use an https SAS URL of the VHD, such as ${example}`);
    return out;
  }
  if (parsed.protocol !== "https:") {
    out.failures.push(
      `${path} must use https (the service only copies VHDs over https); generate the SAS URL ` + "with https only",
    );
  }
  const q = parsed.searchParams;
  if (!q.get("sig")) {
    out.failures.push(
      `${path} has no SAS signature (sig=): generate a SAS URL for the VHD with read and list ` +
        `permission, such as ${example}`,
    );
  }
  const sp = q.get("sp");
  if (!sp || !sp.includes("r") || !sp.includes("l")) {
    out.failures.push(
      `${path} must grant read and list (sp=rl); it has ${sp ? `sp=${sp}` : "no sp"}. ` +
        "Generate the SAS with read and list permission",
    );
  }
  const se = q.get("se");
  const expiry = se ? Date.parse(se) : NaN;
  if (!se || Number.isNaN(expiry)) {
    out.failures.push(
      `${path} must carry an expiry (se=, e.g. se=2030-01-01T00:00:00Z); ` +
        `it has ${se ? "an unreadable se" : "none"}`,
    );
  } else if (expiry <= now) {
    out.failures.push(
      `${path} expired at ${new Date(expiry).toISOString()}: generate a new SAS URL that stays ` +
        `valid for at least ${SAS_WARN_DAYS} days`,
    );
  } else if (expiry - now < SAS_WARN_DAYS * DAY_MS) {
    const days = Math.floor((expiry - now) / DAY_MS);
    const left = `in ${days} day${days === 1 ? "" : "s"}`;
    out.warnings.push(
      `${path} expires at ${new Date(expiry).toISOString()} (${left}); ` +
        "certification can take weeks and fails if the VHD cannot be read — prefer a SAS valid for at least " +
        `${SAS_WARN_DAYS} days`,
    );
  }
  return out;
}

/** The URL without its `sig` parameter: what may be shown, hashed or compared in the open. */
export function withoutSignature(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.searchParams.has("sig")) return url;
    parsed.searchParams.delete("sig");
    return parsed.toString();
  } catch {
    return url.replace(/([?&])sig=[^&]*&?/gi, "$1").replace(/[?&]$/, "");
  }
}
