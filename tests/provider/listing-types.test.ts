// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { scratchDir } from "../helpers/scratch.js";

const REPO = join(__dirname, "..", "..", "..");
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ["node"],
  typeRoots: [join(REPO, "node_modules", "@types")],
};

/**
 * Type-checks files outside the repository that import the package's source, in one program
 * (loading the SDK's types once), and returns each file's errors.
 */
function typeErrors(sources: Record<string, string>): Record<string, Array<{ line: number; text: string }>> {
  const dir = scratchDir("listing-types");
  const files = Object.entries(sources).map(([name, source]) => {
    const file = join(dir, `${name}.ts`);
    const pulumi = join(REPO, "node_modules", "@pulumi", "pulumi", "index.js");
    writeFileSync(file, source.replaceAll("PKG", join(REPO, "provider", "index.js")).replaceAll("PULUMI", pulumi));
    return [name, file] as const;
  });
  const diagnostics = ts.getPreEmitDiagnostics(
    ts.createProgram(
      files.map(([, f]) => f),
      OPTIONS,
    ),
  );
  const errorsOf = (file: string) =>
    diagnostics
      .filter((d) => d.file?.fileName === file)
      .map((d) => ({
        line: d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1,
        text: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      }));
  return Object.fromEntries(files.map(([name, file]) => [name, errorsOf(file)]));
}

/** Known keys with values of the wrong type: lines 3 to 8 must each be an error. */
const WRONG = `
import type { OfferDefinition, VmOfferListing, VmPlan } from "PKG";
const a: VmOfferListing = { "microsoft-azure-marketplace.title": 50 };
const b: VmOfferListing = { "microsoft-azure-marketplace.allowedSubscriptions": "one-subscription" };
const c: VmPlan = { planId: "p", "microsoft-azure-virtualmachines.recommendedVMSizes": "d2s-standard-v3" };
const d: VmPlan = { planId: "p", "microsoft-azure-virtualmachines.vmImages": { "1.0.0": { osVhdUrl: 5 } } };
const e: VmPlan = { "microsoft-azure-virtualmachines.skuTitle": "no plan id" };
const f: OfferDefinition = { displayText: "x", offer: { "microsoft-azure-marketplace.useEnterpriseContract": "yes" }, plans: [] };
export { a, b, c, d, e, f };
`;

/** Unknown keys, computed keys and an untyped definition: no error. */
const ACCEPTED = `
import { Offer, type OfferDefinition } from "PKG";
const ns = "microsoft-azure-marketplace.";
const typed: OfferDefinition = {
  displayText: "Contoso",
  offer: { "microsoft-azure-marketplace.title": "Contoso", [ns + "summary"]: "s", "contoso.future-key": { any: [1, 2] } },
  plans: [{ planId: "p", "microsoft-azure-virtualmachines.vmImages": { "1.0.0": { osVhdUrl: "https://x/os.vhd", lunVhdDetails: [], extra: 1 } }, "x.y": 3 }],
};
declare const record: Record<string, unknown>;
const untyped: OfferDefinition = { displayText: "Contoso", offer: record, plans: [{ ...record, planId: "p" }] };
new Offer("o", { publisherId: "contoso", offerId: "o", definition: untyped });
export { typed };
`;

/**
 * Inputs all the way down: secrets and other resources' outputs anywhere inside a definition, a
 * pricing and a data disk (what users write with `pulumi.secret()` and `.apply()`).
 */
const DEEP = `
import * as pulumi from "PULUMI";
import { Offer, VmImageVersion, VmPricing } from "PKG";
declare const title: pulumi.Output<string>;
declare const vhd: pulumi.Output<string>;
const mp = "microsoft-azure-marketplace.";
const offer = new Offer("o", {
  publisherId: "contoso",
  offerId: "o",
  definition: {
    displayText: title,
    offer: {
      "microsoft-azure-marketplace.title": title,
      "microsoft-azure-marketplace.allowedSubscriptions": [pulumi.secret("00000000-0000-0000-0000-000000000001")],
      [mp + "leadDestination"]: pulumi.secret("None"),
    },
    plans: [
      {
        planId: "p",
        regions: pulumi.output(["US"]),
        "microsoft-azure-virtualmachines.vmImages": { "1.0.0": { osVhdUrl: pulumi.secret("https://x/os.vhd"), lunVhdDetails: [] } },
      },
    ],
  },
});
new VmPricing("p", { publisherId: "contoso", offerId: offer.offerId, planId: "p", pricing: { kind: "perCore", pricePerCoreUsd: pulumi.output(0.1) } });
new VmImageVersion("v", { publisherId: "contoso", offerId: offer.offerId, planId: "p", version: "1.0.1", osVhdUrl: vhd, dataDisks: [{ lun: 0, vhdUrl: vhd }] });
`;

/** The same shapes with wrong types inside outputs: lines 5 to 7 must each be an error. */
const WRONG_DEEP = `
import * as pulumi from "PULUMI";
import { Offer, VmPricing } from "PKG";
const plans: never[] = [];
new Offer("a", { publisherId: "c", offerId: "a", definition: { displayText: pulumi.output(5), offer: {}, plans } });
new Offer("b", { publisherId: "c", offerId: "b", definition: { displayText: "b", offer: { "microsoft-azure-marketplace.title": pulumi.secret(50) }, plans } });
new VmPricing("p", { publisherId: "c", offerId: "o", planId: "p", pricing: { kind: "perCore", pricePerCoreUsd: pulumi.output("0.1") } });
`;

/** What an editor offers at `|` in `source`: completion names and the documentation of one. */
function completionsAt(source: string, entry: string): { names: string[]; doc: string } {
  const file = join(scratchDir("listing-completions"), "program.ts");
  const text = source.replace("|", "").replaceAll("PKG", join(REPO, "provider", "index.js"));
  writeFileSync(file, text);
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (f) => {
      try {
        return ts.ScriptSnapshot.fromString(readFileSync(f, "utf8"));
      } catch {
        return undefined;
      }
    },
    getCurrentDirectory: () => REPO,
    getCompilationSettings: () => OPTIONS,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host);
  const position = source.replaceAll("PKG", join(REPO, "provider", "index.js")).indexOf("|");
  const completions = service.getCompletionsAtPosition(file, position, {});
  // Names with dots are offered quoted, as they are inserted.
  const details = service.getCompletionEntryDetails(
    file,
    position,
    JSON.stringify(entry),
    undefined,
    undefined,
    undefined,
    undefined,
  );
  return {
    names: completions?.entries.map((e) => e.name.replace(/^"|"$/g, "")) ?? [],
    doc: ts.displayPartsToString(details?.documentation),
  };
}

/**
 * Typed listings: the VM offer's documented keys are typed (a wrong value type is a compile
 * error), unknown keys still compile, and existing untyped programs compile unchanged.
 */
describe("typed listings (compile-time checks of OfferDefinition)", function () {
  this.timeout(120_000);

  let checked: ReturnType<typeof typeErrors>;
  before(() => {
    checked = typeErrors({ wrong: WRONG, accepted: ACCEPTED, deep: DEEP, wrongDeep: WRONG_DEEP });
  });

  it("known keys with a value of the wrong type are compile errors, one per key", () => {
    const errors = checked.wrong;
    expect(errors.map((e) => e.line)).to.deep.equal([3, 4, 5, 6, 7, 8]);
    expect(errors[0].text).to.match(/number.*not assignable to type 'string'/);
    expect(errors[3].text).to.match(/number.*not assignable to type 'string'/);
    expect(errors[4].text).to.match(/planId/);
  });

  it("unknown keys, computed keys and untyped records compile (existing programs unchanged)", () => {
    expect(checked.accepted).to.deep.equal([]);
  });

  it("secrets and outputs fit anywhere a value does in a definition, a pricing and a data disk", () => {
    expect(checked.deep).to.deep.equal([]);
  });

  it("inside those inputs, a wrong value type is still a compile error", () => {
    expect(checked.wrongDeep.map((e) => e.line)).to.deep.equal([5, 6, 7]);
  });

  it("editors complete listing keys and show their meaning and limits", () => {
    const { names, doc } = completionsAt(
      `
import type { VmOfferListing } from "PKG";
const listing: VmOfferListing = { | };
export { listing };
`,
      "microsoft-azure-marketplace.title",
    );
    expect(names).to.include.members([
      "microsoft-azure-marketplace.title",
      "microsoft-azure-marketplace.privacyURL",
      "microsoft-azure-marketplace.wideLogo",
    ]);
    expect(doc).to.match(/at most 50 characters/);
  });
});
