// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { addParts, compareParts, partOf, selfTimeByPart, type CpuProfile } from "../../../bench/lib/cpu-profile.js";

const frame = (functionName: string, url: string) => ({ functionName, url });

describe("bench: where a provider host's CPU went, from its CPU profile", () => {
  it("names the npm package of a file, the innermost one when packages nest", () => {
    expect(partOf(frame("f", "file:///p/node_modules/got/dist/source/core/index.js"))).to.equal("got");
    expect(partOf(frame("f", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"))).to.equal(
      "@pulumi/pulumi",
    );
    expect(partOf(frame("f", "/p/node_modules/pulumi-cloudpartner/node_modules/@azure/msal-node/lib/x.cjs"))).to.equal(
      "@azure/msal-node",
    );
  });

  it("keeps idle, garbage collection and module loading apart from Node's other code", () => {
    expect(partOf(frame("(idle)", ""))).to.equal("(idle)");
    expect(partOf(frame("(garbage collector)", ""))).to.equal("(garbage collector)");
    expect(partOf(frame("wrapSafe", "node:internal/modules/cjs/loader"))).to.equal("module loading");
    expect(partOf(frame("internalModuleStat", ""))).to.equal("module loading");
    expect(partOf(frame("emit", "node:events"))).to.equal("node events");
    expect(partOf(frame("write", "node:internal/http2/core"))).to.equal("node http2");
    expect(partOf(frame("writeLatin1String", ""))).to.equal("node (native)");
    expect(partOf(frame("(program)", ""))).to.equal("(program)");
    expect(partOf(frame("compileFunctionForCJSLoader", ""))).to.equal("module loading");
    expect(partOf(frame("fetch", "node:internal/deps/undici/undici"))).to.equal("node undici");
    expect(partOf(frame("main", "/work/app.js"))).to.equal("other");
  });

  it("adds the time until the next sample to the part of the function each sample landed in", () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame("(root)", ""), children: [2, 3] },
        { id: 2, callFrame: frame("request", "/p/node_modules/got/dist/index.js") },
        { id: 3, callFrame: frame("(idle)", "") },
      ],
      samples: [2, 3, 2, 2],
      timeDeltas: [1000, 5000, 2000, 500],
    };
    // As DevTools counts it: each sample stands for the gap until the next one.
    expect([...selfTimeByPart(profile)]).to.deep.equal([
      ["got", 5.5],
      ["(idle)", 2],
    ]);
  });

  it("compares two hosts part by part, the largest difference first", () => {
    const a = addParts([
      new Map([["got", 3]]),
      new Map([
        ["got", 2],
        ["node", 1],
      ]),
    ]);
    const rows = compareParts(a, new Map([["node", 4]]));
    expect(rows).to.deep.equal([
      { part: "got", a: 5, b: 0, difference: 5 },
      { part: "node", a: 1, b: 4, difference: -3 },
    ]);
  });
});
