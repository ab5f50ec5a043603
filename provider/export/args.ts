// SPDX-License-Identifier: Apache-2.0
/** Command-line arguments of `cloudpartner-export`. Pure. */
import { API_NAMES, type ApiName } from "../handlers/settings.js";
import type { PublishChoice } from "./project.js";

/** Parsed arguments. */
export interface ExportArgs {
  publisherId: string;
  /** Offer ids to export; empty means every offer of the publisher. */
  offers: string[];
  out: string;
  publish: PublishChoice;
  force: boolean;
  /** The API to read through (`--api`); undefined: `CLOUDPARTNER_API`, else `cpp`. */
  api?: ApiName;
}

/** The `--help` text. */
export const USAGE = `usage: cloudpartner-export --publisher P [--offer O]... [--out DIR]
                           [--publish none|preview|live] [--api cpp|productIngestion] [--force]

Writes a Pulumi TypeScript project that adopts existing offers (Offer with adopt: true,
VmPricing per plan) so that the first \`pulumi up\` writes nothing.

  --publisher P   publisher id (required)
  --offer O       an offer to export; repeat for several (default: every offer of P)
  --out DIR       where to write the project (default: ./P-offers); must be empty or absent
  --publish T     also declare an OfferPublish per offer: none (default), preview or live
  --api A         the API to read through: cpp (the Cloud Partner Portal API) or productIngestion
                  (Partner Center's Product Ingestion API); default: CLOUDPARTNER_API, else cpp.
                  With productIngestion, Pulumi.yaml sets cloudpartner:api: the program uses it too
  --force         write into a non-empty DIR (files of the same name are replaced)
  --help          this text

Credentials and endpoints come from the environment, as the provider reads them:
  AZURE_TENANT_ID, AZURE_CLIENT_ID, and AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or
  AZURE_FEDERATED_TOKEN_FILE;
  CLOUDPARTNER_ENDPOINT, CLOUDPARTNER_PRODUCT_INGESTION_ENDPOINT and AZURE_AUTHORITY_HOST (optional).
`;

/** A usage error (exit code 2). */
export class UsageError extends Error {
  readonly code = "CPP_EXPORT_USAGE";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parses argv (without node and the script); `"help"` when --help is given. */
export function parseExportArgs(argv: string[]): ExportArgs | "help" {
  let publisherId: string | undefined;
  let out: string | undefined;
  let publish: PublishChoice = "none";
  let force = false;
  let api: ExportArgs["api"];
  const offers: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq > 0 && arg.startsWith("--") ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === "" || (eq < 0 && v.startsWith("--"))) {
        throw new UsageError(`${flag} needs a value (see --help)`);
      }
      return v;
    };
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--publisher":
        publisherId = value();
        break;
      case "--offer":
        offers.push(value());
        break;
      case "--out":
        out = value();
        break;
      case "--publish": {
        const v = value();
        if (v !== "none" && v !== "preview" && v !== "live") {
          throw new UsageError(`--publish takes none, preview or live; got "${v}"`);
        }
        publish = v;
        break;
      }
      case "--api": {
        const v = value();
        // Any case, as cloudpartner:api and CLOUDPARTNER_API take it.
        api = API_NAMES.find((n) => n.toLowerCase() === v.toLowerCase());
        if (!api) throw new UsageError(`--api takes cpp or productIngestion; got "${v}"`);
        break;
      }
      case "--force":
        force = true;
        break;
      default:
        throw new UsageError(`unknown argument ${arg} (see --help)`);
    }
  }
  if (!publisherId) {
    throw new UsageError("--publisher is required: the publisher id whose offers to export (see --help)");
  }
  return {
    publisherId,
    offers: [...new Set(offers)],
    out: out ?? `./${publisherId}-offers`,
    publish,
    force,
    ...(api ? { api } : {}),
  };
}
