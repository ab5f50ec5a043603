// SPDX-License-Identifier: Apache-2.0
import { randomBytes, randomUUID } from "node:crypto";
import { generateSigningKey } from "./jwt.js";
import { defaultModes } from "./modes.js";
import type { EmulatorState } from "./state.js";

/** Identity of the default principal; the secret is random per start unless given. */
export interface SeedIdentity {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  publisherId: string;
}

/** Defaults of the start seed (docs/emulator.md). */
export function defaultIdentity(overrides: Partial<SeedIdentity> = {}): SeedIdentity {
  return {
    tenantId: overrides.tenantId ?? "00000000-0000-0000-0000-00000000aaaa",
    clientId: overrides.clientId ?? "11111111-1111-1111-1111-111111111111",
    clientSecret: overrides.clientSecret ?? `emu-${randomBytes(18).toString("base64url")}`,
    publisherId: overrides.publisherId ?? "contoso",
  };
}

/** A fresh state: the tenant, one principal registered for `contoso`, and `fabrikam` (no access). */
export function initialState(id: SeedIdentity, key = generateSigningKey()): EmulatorState {
  return {
    tenantId: id.tenantId,
    publishers: [
      { id: id.publisherId, displayText: "Contoso" },
      { id: "fabrikam", displayText: "Fabrikam" },
    ],
    principals: [
      {
        clientId: id.clientId,
        tenantId: id.tenantId,
        objectId: randomUUID(),
        clientSecret: id.clientSecret,
        publishers: [id.publisherId],
      },
    ],
    offers: {},
    operations: [],
    modes: defaultModes(),
    faults: [],
    log: [],
    seq: 0,
    lastEtagTicks: 0,
    key,
  };
}
