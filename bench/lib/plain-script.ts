// SPDX-License-Identifier: Apache-2.0
/**
 * The floor a user understands: a plain sequential script that creates, prices and publishes N
 * offers with this package's client and nothing else — per offer: PUT the offer, read it and PUT
 * it back with the delegated plan's pricing (If-Match), POST publish and poll until the preview
 * waits for sign-off, with the same poll bounds the stack uses. Run as its own process by the
 * benchmark (`BENCH_PLAIN_SCRIPT=<json> node plain-script.js`), so its time includes Node's start and the first
 * token, as a user's script would.
 */
import { CloudPartnerClient, type OfferDocument } from "../../provider/client/index.js";
import {
  BENCH_PUBLISHER,
  benchDefinition,
  benchOfferId,
  DELEGATED_PLAN,
  DELEGATED_WIRE_PRICING,
} from "./definition.js";

/** What the benchmark passes in the environment variable `BENCH_PLAIN_SCRIPT` (JSON). */
export interface PlainScriptArgs {
  apiUrl: string;
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  count: number;
  sample: number;
  pollMinSeconds: number;
  pollMaxSeconds: number;
}

/** Keys the service owns, which a document read back must lose before it is PUT again. */
const READ_ONLY = [
  "status",
  "version",
  "changedTime",
  "pcMigrationStatus",
  "pcRedirectUri",
  "isvUpgradeRequest",
  "eTag",
];

async function main(a: PlainScriptArgs): Promise<void> {
  const client = new CloudPartnerClient({
    credential: { tenantId: a.tenantId, clientId: a.clientId, clientSecret: a.clientSecret, authority: a.authorityUrl },
    endpoint: a.apiUrl,
  });
  for (let i = 0; i < a.count; i++) {
    const offerId = benchOfferId("p", a.count, a.sample, i);
    const doc = {
      id: offerId,
      publisherId: BENCH_PUBLISHER,
      offerTypeId: "microsoft-azure-virtualmachines",
      definition: benchDefinition(),
    };
    await client.putOffer(BENCH_PUBLISHER, offerId, doc as unknown as OfferDocument, {
      concurrency: { mode: "createOnly" },
    });
    const read = await client.getOffer(BENCH_PUBLISHER, offerId, { includeAllPricing: true });
    const current = read.value as Record<string, any>;
    for (const k of READ_ONLY) delete current[k];
    current.definition.plans.find((p: { planId: string }) => p.planId === DELEGATED_PLAN).virtualMachinePricing =
      DELEGATED_WIRE_PRICING;
    await client.putOffer(BENCH_PUBLISHER, offerId, current as OfferDocument, {
      concurrency: { mode: "ifMatch", etag: read.etag! },
    });
    const { operationUrl } = await client.beginPublish(BENCH_PUBLISHER, offerId);
    await client.pollOperation(operationUrl, {
      until: "signoff",
      minIntervalInMs: a.pollMinSeconds * 1000,
      maxIntervalInMs: a.pollMaxSeconds * 1000,
    });
  }
}

if (require.main === module) {
  main(JSON.parse(process.env.BENCH_PLAIN_SCRIPT ?? "{}") as PlainScriptArgs).then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`plain script failed: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
