// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO } from "../../scripts/lib/engine-project.js";

const dir = join(REPO, "examples", "pipelines");
const read = (name: string) => readFileSync(join(dir, name), "utf8");

/** Names of a client secret in any of its spellings (config, environment, AAD form, ADO input). */
const CLIENT_SECRET = /clientSecret|client_secret|AZURE_CLIENT_SECRET|servicePrincipalKey|clientCertificate/i;
const PREVIEW_DIFF = /^\s*pulumi preview\b[^\n]*--diff/m;
const UP = /^\s*pulumi up\b/m;

/** What is wrong with the GitHub Actions workflow (empty when nothing is). */
export function githubProblems(text: string): string[] {
  const wf = parse(text) as any;
  const out: string[] = [];
  if (!wf?.on?.pull_request) out.push("not triggered by pull requests");
  if (!(wf?.on?.push?.branches ?? []).includes("main")) out.push("not triggered by pushes to main");
  if (wf?.permissions?.["id-token"] !== "write") out.push("permissions lack id-token: write");
  const jobs = Object.values(wf?.jobs ?? {}) as any[];
  const runs = (job: any) => (job.steps ?? []).map((s: any) => String(s.run ?? "")).join("\n");
  const prJobs = jobs.filter((j) => /pull_request/.test(String(j.if ?? "")));
  const mainJobs = jobs.filter(
    (j) => /refs\/heads\/main/.test(String(j.if ?? "")) && !/pull_request'/.test(String(j.if)),
  );
  if (!prJobs.some((j) => PREVIEW_DIFF.test(runs(j)))) out.push("no pull-request job runs pulumi preview --diff");
  if (!prJobs.some((j) => /gh pr comment|createComment/.test(runs(j) + JSON.stringify(j.steps))))
    out.push("the preview is not posted on the pull request");
  if (prJobs.some((j) => UP.test(runs(j)))) out.push("a pull-request job runs pulumi up");
  if (!mainJobs.some((j) => UP.test(runs(j)))) out.push("no main-branch job runs pulumi up");
  for (const j of [...prJobs, ...mainJobs]) {
    const r = runs(j);
    if (!/ACTIONS_ID_TOKEN_REQUEST_URL[^\n]*audience=api:\/\/AzureADTokenExchange/.test(r))
      out.push("a job does not request the OIDC token for api://AzureADTokenExchange");
    if (!/AZURE_FEDERATED_TOKEN_FILE=/.test(r)) out.push("a job does not set AZURE_FEDERATED_TOKEN_FILE");
  }
  if (wf?.env?.PULUMI_ACCESS_TOKEN !== "${{ secrets.PULUMI_ACCESS_TOKEN }}")
    out.push("PULUMI_ACCESS_TOKEN does not come from the secret store");
  if (CLIENT_SECRET.test(text)) out.push("a client secret is referenced");
  return out;
}

/** What is wrong with the Azure Pipelines definition (empty when nothing is). */
export function azureProblems(text: string): string[] {
  const p = parse(text) as any;
  const out: string[] = [];
  if (!(p?.pr?.branches?.include ?? []).includes("main")) out.push("not run for pull requests into main");
  if (!(p?.trigger?.branches?.include ?? []).includes("main")) out.push("not triggered by main");
  const steps = (p?.steps ?? []) as any[];
  const script = (s: any) => String(s.script ?? s.inputs?.inlineScript ?? "");
  const isPr = (s: any) => /eq\(variables\['Build\.Reason'\], 'PullRequest'\)/.test(String(s.condition ?? ""));
  const isMain = (s: any) =>
    /refs\/heads\/main/.test(String(s.condition ?? "")) &&
    /ne\(variables\['Build\.Reason'\], 'PullRequest'\)/.test(String(s.condition ?? ""));
  const previews = steps.filter((s) => isPr(s) && PREVIEW_DIFF.test(script(s)));
  const ups = steps.filter((s) => isMain(s) && UP.test(script(s)));
  if (previews.length === 0) out.push("no pull-request step runs pulumi preview --diff");
  if (
    !steps.some(
      (s) => isPr(s) && (s.task === "PublishPipelineArtifact@1" || /pullRequests\/.*\/threads/.test(script(s))),
    )
  ) {
    out.push("the preview is not published for review");
  }
  if (steps.some((s) => UP.test(script(s)) && !isMain(s))) out.push("pulumi up runs outside the main branch");
  if (ups.length === 0) out.push("no main-branch step runs pulumi up");
  for (const s of [...previews, ...ups]) {
    if (s.task !== "AzureCLI@2" || s.inputs?.addSpnToEnvironment !== true)
      out.push(`${s.displayName}: not an AzureCLI@2 task with addSpnToEnvironment`);
    if (!/\$idToken/.test(script(s)) || !/export AZURE_FEDERATED_TOKEN_FILE=/.test(script(s)))
      out.push(`${s.displayName}: the federated token is not handed over in AZURE_FEDERATED_TOKEN_FILE`);
    if (s.env?.PULUMI_ACCESS_TOKEN !== "$(PULUMI_ACCESS_TOKEN)")
      out.push(`${s.displayName}: PULUMI_ACCESS_TOKEN is not mapped from a secret variable`);
  }
  if (!(p?.variables ?? []).some((v: any) => v.group)) out.push("no variable group (the secret store) is used");
  if (CLIENT_SECRET.test(text)) out.push("a client secret is referenced");
  return out;
}

/** examples/pipelines: the CI definitions users copy (examples/pipelines/README.md). */
describe("unit: examples/pipelines (GitHub Actions, Azure Pipelines)", () => {
  it("GitHub Actions: preview --diff posted on pull requests, up on main, federated token, no client secret", () => {
    expect(githubProblems(read("github-actions.yml"))).to.deep.equal([]);
  });

  it("Azure Pipelines: preview --diff published on pull requests, up on main, federated token, no secret", () => {
    expect(azureProblems(read("azure-pipelines.yml"))).to.deep.equal([]);
  });

  it("the checks fail on crafted bad definitions", () => {
    const gh = read("github-actions.yml");
    expect(githubProblems(gh.replace("pulumi preview --diff --stack", "pulumi preview --stack"))).to.include(
      "no pull-request job runs pulumi preview --diff",
    );
    expect(githubProblems(gh.replace("id-token: write", "id-token: none"))).to.include(
      "permissions lack id-token: write",
    );
    expect(
      githubProblems(
        gh.replace(
          "AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID }}",
          "AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID }}\n  AZURE_CLIENT_SECRET: ${{ secrets.SP_SECRET }}",
        ),
      ),
    ).to.include("a client secret is referenced");
    expect(githubProblems(gh.replace("run: pulumi up --yes", "run: pulumi preview"))).to.include(
      "no main-branch job runs pulumi up",
    );
    expect(githubProblems(gh.replaceAll("audience=api://AzureADTokenExchange", "audience=other"))).to.include(
      "a job does not request the OIDC token for api://AzureADTokenExchange",
    );
    const az = read("azure-pipelines.yml");
    expect(azureProblems(az.replace("pulumi preview --diff --stack", "pulumi preview --stack"))).to.include(
      "no pull-request step runs pulumi preview --diff",
    );
    expect(azureProblems(az.replace("ne(variables['Build.Reason'], 'PullRequest')", "true"))).to.include(
      "pulumi up runs outside the main branch",
    );
    expect(
      azureProblems(az.replace("addSpnToEnvironment: true", "addSpnToEnvironment: false")).length,
    ).to.be.greaterThan(0);
    expect(
      azureProblems(
        az.replace(
          "cloudpartner-wif\n      addSpnToEnvironment",
          "cloudpartner-wif\n      servicePrincipalKey: x\n      addSpnToEnvironment",
        ),
      ),
    ).to.include("a client secret is referenced");
  });
});
