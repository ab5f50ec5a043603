// SPDX-License-Identifier: Apache-2.0
/**
 * The standalone Pulumi project `cloudpartner-export` writes: Pulumi.yaml, package.json,
 * tsconfig.json, index.ts and README.md, as text. Pure: the same offers give the same bytes.
 */
import { VM_OFFER_TYPE } from "../schema/offer-types.js";
import { camelCase, NameScope, pascalCase } from "./names.js";
import type { ExportedOffer } from "./offer.js";
import { Code, NAMESPACES, printContext, printValue, str } from "./source.js";

/** Whether to declare an OfferPublish per offer, and to which target. */
export type PublishChoice = "none" | "preview" | "live";

/** What the generated project depends on (read from this package's package.json by the CLI). */
export interface ProjectVersions {
  /** This package's version. */
  cloudpartner: string;
  /** Range of @pulumi/pulumi. */
  pulumi: string;
  typescript: string;
  nodeTypes: string;
}

/** Options of {@link generateProject}. */
export interface ProjectOptions {
  publisherId: string;
  publish: PublishChoice;
  versions: ProjectVersions;
}

/** File name → content of the generated project. */
export function generateProject(offers: ExportedOffer[], o: ProjectOptions): Record<string, string> {
  const name = projectName(o.publisherId);
  return {
    "Pulumi.yaml": `name: ${name}\ndescription: Offers of publisher ${o.publisherId}, adopted from the Cloud Partner Portal\nruntime: nodejs\n`,
    "package.json": `${JSON.stringify({
      name,
      private: true,
      version: "0.0.0",
      main: "index.ts",
      dependencies: { "@pulumi/pulumi": o.versions.pulumi, "pulumi-cloudpartner": o.versions.cloudpartner },
      devDependencies: { "@types/node": o.versions.nodeTypes, typescript: o.versions.typescript },
    }, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify({
      compilerOptions: {
        strict: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext",
        outDir: "bin", sourceMap: true, skipLibCheck: true,
      },
      files: ["index.ts"],
    }, null, 2)}\n`,
    "index.ts": renderIndex(offers, o),
    "README.md": renderReadme(offers, o),
  };
}

/** The Pulumi project name: `<publisher>-offers`. */
export function projectName(publisherId: string): string {
  return `${publisherId.toLowerCase().replace(/[^a-z0-9._-]+/g, "-")}-offers`;
}

/** The program: one Offer (adopt: true) per offer, its VmPricing resources, optional OfferPublish. */
export function renderIndex(offers: ExportedOffer[], o: ProjectOptions): string {
  const ctx = printContext();
  const scope = new NameScope();
  const blocks: string[] = [];
  const exported: Array<[string, string]> = [];
  for (const offer of offers) {
    const lines: string[] = [];
    const offerVar = scope.take(camelCase(offer.offerId));
    const plans = offer.definition.plans.length;
    lines.push(`// ${offer.offerId}: ${plans} plan${plans === 1 ? "" : "s"}${offer.migrated ? ", migrated to Partner Center" : ""}.`);
    if (offer.wirePricing.length > 0 && offer.offerTypeId === VM_OFFER_TYPE) {
      lines.push(`// Pricing of ${offer.wirePricing.map((p) => `"${p}"`).join(", ")} stays in the plan as the service stores it (see README.md).`);
    }
    const args: Record<string, unknown> = {
      publisherId: new Code("publisherId"),
      offerId: offer.offerId,
      offerTypeId: offer.offerTypeId,
      adopt: true,
      definition: offer.definition,
    };
    if (offer.secrets.length > 0) {
      args.secrets = Object.fromEntries(offer.secrets.map((s) => [s.path, new Code(`config.requireSecret(${str(s.configKey)})`)]));
    }
    lines.push(`const ${offerVar} = new Offer(${str(offer.offerId)}, ${printObject(args, ["publisherId", "offerId", "offerTypeId", "adopt", "definition", "secrets"], ctx)});`);
    const deps = [offerVar];
    for (const p of offer.pricing) {
      const pricingVar = scope.take(`${offerVar}${pascalCase(p.planId)}Pricing`);
      deps.push(pricingVar);
      const pargs = { publisherId: new Code("publisherId"), offerId: new Code(`${offerVar}.offerId`), planId: p.planId, pricing: p.spec };
      lines.push(`const ${pricingVar} = new VmPricing(${str(`${offer.offerId}-${p.planId}-pricing`)}, ${printObject(pargs, ["publisherId", "offerId", "planId", "pricing"], ctx)}, { dependsOn: ${offerVar} });`);
    }
    if (o.publish !== "none") {
      const publishVar = scope.take(`${offerVar}Publish`);
      // Publishing follows content: republish when what the Offer or a VmPricing owns changes.
      const trigger = new Code(`[${deps.map((d) => `${d}.fingerprint`).join(", ")}]`);
      const pub = { publisherId: new Code("publisherId"), offerId: new Code(`${offerVar}.offerId`), target: o.publish, trigger };
      const on = deps.length === 1 ? deps[0] : `[${deps.join(", ")}]`;
      lines.push(`const ${publishVar} = new OfferPublish(${str(`${offer.offerId}-publish`)}, ${printObject(pub, ["publisherId", "offerId", "target", "trigger"], ctx)}, { dependsOn: ${on} });`);
      exported.push([offer.offerId, `${publishVar}.offerStatus`]);
    } else {
      exported.push([offer.offerId, `${offerVar}.status`]);
    }
    blocks.push(lines.join("\n"));
  }
  const used = ["Offer", ...(o.publish !== "none" ? ["OfferPublish"] : []), ...(offers.some((x) => x.pricing.length > 0) ? ["VmPricing"] : [])].sort();
  const head = [
    "// Generated by cloudpartner-export: the offers of this publisher as they are in the Cloud Partner Portal.",
    "// Each Offer has `adopt: true`, so the first `pulumi up` takes it over without writing when nothing differs.",
    "// Edit freely; README.md lists the config to set before the first `pulumi up`.",
    ...(offers.some((x) => x.secrets.length > 0) ? ['import * as pulumi from "@pulumi/pulumi";'] : []),
    `import { ${used.join(", ")} } from "pulumi-cloudpartner";`,
    "",
    ...(offers.some((x) => x.secrets.length > 0) ? ["const config = new pulumi.Config();"] : []),
    `const publisherId = ${str(o.publisherId)};`,
  ];
  const namespaces = NAMESPACES.filter(([prefix]) => ctx.usedNamespaces.has(prefix)).map(([prefix, c]) => `const ${c} = ${str(prefix)};`);
  const status = `/** Publishing status of each offer${o.publish === "none" ? "" : " after its OfferPublish"}. */\nexport const offerStatus = ${printValue(Object.fromEntries(exported.map(([k, v]) => [k, new Code(v)])), 0, ctx, 26)};`;
  return `${[head.join("\n"), namespaces.join("\n"), ...blocks, status].filter((b) => b !== "").join("\n\n")}\n`;
}

/** An object literal with keys in the given order (the resources' argument order). */
function printObject(value: Record<string, unknown>, order: string[], ctx: ReturnType<typeof printContext>): string {
  const keys = order.filter((k) => value[k] !== undefined);
  const lines = keys.map((k) => {
    const v = value[k];
    if (v instanceof Code && v.text === k) return `  ${k},\n`; // shorthand: { publisherId }
    return `  ${k}: ${printValue(v, 2, ctx, 2 + k.length + 2)},\n`;
  });
  return `{\n${lines.join("")}}`;
}

/** README: what to install and set, what the first `up` writes, and what could not be expressed. */
export function renderReadme(offers: ExportedOffer[], o: ProjectOptions): string {
  const out: string[] = [];
  const plans = offers.reduce((n, x) => n + x.definition.plans.length, 0);
  const pricing = offers.reduce((n, x) => n + x.pricing.length, 0);
  out.push(`# Offers of publisher \`${o.publisherId}\``, "");
  out.push(`Written by \`cloudpartner-export\`: ${offers.length} offer${offers.length === 1 ? "" : "s"} (${plans} plans) as Offer resources with \`adopt: true\`, ${pricing} VmPricing resource${pricing === 1 ? "" : "s"}${o.publish === "none" ? "" : `, and an OfferPublish (target \`${o.publish}\`) per offer`}.`, "");
  out.push("## Before the first `pulumi up`", "", "```sh", "npm install", "pulumi stack init <stack>");
  out.push("# Credentials: these config keys, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET in the environment");
  out.push("pulumi config set cloudpartner:tenantId <directory id>", "pulumi config set cloudpartner:clientId <application id>", "pulumi config set --secret cloudpartner:clientSecret <secret>");
  const secrets = offers.flatMap((x) => x.secrets.map((s) => ({ offerId: x.offerId, ...s })));
  if (secrets.length > 0) {
    out.push("# Secret fields: the service never returns them, so give the values it holds today");
    for (const s of secrets) out.push(`pulumi config set --secret ${s.configKey} <value>   # ${s.offerId}: ${s.path}`);
  }
  out.push("pulumi preview", "pulumi up", "```", "");
  out.push("## What the first `pulumi up` writes", "");
  const withSecrets = offers.filter((x) => x.secrets.length > 0);
  if (withSecrets.length === 0) out.push("Nothing: every offer already matches its definition, so each is adopted without a request that writes.");
  else {
    out.push("Nothing, except one PUT of each offer with secret fields (the service never returns secret values, so whether they match cannot be known):", "");
    for (const x of withSecrets) out.push(`- \`${x.offerId}\`: ${x.secrets.map((s) => `\`${s.path}\``).join(", ")}`);
  }
  if (o.publish !== "none") {
    out.push("", `Each OfferPublish then publishes its offer (target \`${o.publish}\`): remove the OfferPublish resources from index.ts if the offers should not be published now.`);
  }
  out.push("");
  const notes = offers.flatMap((x) => x.notes);
  out.push("## Not expressed as typed resources", "");
  if (notes.length === 0) out.push("Nothing: every plan's pricing is a VmPricing resource.");
  for (const n of notes) out.push(`- \`${n.path}\`: ${n.why}.`);
  out.push("", "Images (`vmImages`) stay in the Offer's plans.", "");
  return out.join("\n");
}
