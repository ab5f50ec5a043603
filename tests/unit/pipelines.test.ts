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
const REFRESH = /^\s*pulumi refresh\b/m;
/** Commands that write the stack or the service: never in a job without Partner Center credentials. */
const WRITES = /^\s*pulumi (?:up|refresh|destroy|import|cancel)\b/m;
/** A command of the Pulumi CLI (not its installer, nor a mention in a comment's text). */
const PULUMI_RUN = /(?:^|\$\()\s*pulumi (?:preview|up|refresh|destroy|config|stack)\b/m;
const OIDC_REQUEST = /ACTIONS_ID_TOKEN_REQUEST_URL[^\n]*audience=api:\/\/AzureADTokenExchange/;
/** The plan's inputs: the committed approval (stack config) and the recorded one (stack outputs). */
const READS_APPROVAL = /pulumi config\b[^\n]*\n?[^\n]*vm-offer:approvedContentHash/;
const READS_RECORDED = /pulumi stack output\b[^\n]*\n?[^\n]*goLiveApproval/;
/** Well under the lifetime of the Azure AD token a job obtains (about an hour). */
const MAX_MINUTES = 45;
/** The jobs that run `pulumi up`, and the plan decision each one runs on. */
const UP_JOBS = { github: { up: "false", "go-live": "true" }, azure: { Up: "false", GoLive: "true" } } as const;

/** A step that reports the publication's phase and fails the job when it is `failed`. */
const reportsPhase = (script: string) =>
  /publishPhase/.test(script) && /["']failed["']/.test(script) && /\bexit 1\b/.test(script);
const deciding = (value: string) => (value === "true" ? "for" : "against");
const environmentName = (job: any): string | undefined =>
  typeof job?.environment === "string" ? job.environment : job?.environment?.name;

/** What is wrong with the GitHub Actions workflow (empty when nothing is). */
export function githubProblems(text: string): string[] {
  const wf = parse(text) as any;
  const out: string[] = [];
  const on = wf?.on ?? {};
  if (!on.pull_request) out.push("not triggered by pull requests");
  if (!(on.push?.branches ?? []).includes("main")) out.push("not triggered by pushes to main");
  if (!(on.schedule ?? []).some((s: any) => typeof s?.cron === "string")) out.push("no schedule trigger");
  if (!("workflow_dispatch" in on)) out.push("no manual trigger (workflow_dispatch)");

  const jobs = (wf?.jobs ?? {}) as Record<string, any>;
  for (const name of ["preview", "plan", "up", "go-live"]) if (!jobs[name]) out.push(`no job \`${name}\``);
  const steps = (job: any) => (job?.steps ?? []) as any[];
  const run = (step: any) => String(step?.run ?? "");
  const runs = (job: any) => steps(job).map(run).join("\n");
  // A job sees its own definition and the workflow's env; without `permissions` it gets the
  // workflow's, and `id-token` is granted only when asked for.
  const seen = (job: any) => JSON.stringify([job, wf?.env ?? {}]);
  const permissions = (job: any) => job?.permissions ?? wf?.permissions;
  const mayRequestToken = (job: any) => {
    const p = permissions(job);
    return p === "write-all" || p?.["id-token"] === "write";
  };
  const secretName = (value: unknown) => /^\$\{\{\s*secrets\.(\w+)\s*\}\}$/.exec(String(value ?? ""))?.[1];
  // The job's state token (its own or the workflow's: required) and any step's override.
  const tokens = (job: any) =>
    [
      job?.env?.PULUMI_ACCESS_TOKEN ?? wf?.env?.PULUMI_ACCESS_TOKEN,
      ...steps(job).flatMap((s) => s.env?.PULUMI_ACCESS_TOKEN ?? []),
    ].map(secretName);

  for (const [name, job] of Object.entries(jobs)) {
    if (!(job?.["timeout-minutes"] <= MAX_MINUTES)) out.push(`${name}: no timeout-minutes of ${MAX_MINUTES} or less`);
    if (PULUMI_RUN.test(runs(job)) && tokens(job).some((t) => !t))
      out.push(`${name}: PULUMI_ACCESS_TOKEN does not come from the secret store`);
  }

  const upSecrets = new Set(Object.keys(UP_JOBS.github).flatMap((n) => tokens(jobs[n])));
  const preview = jobs.preview;
  if (preview) {
    const r = runs(preview);
    const cond = String(preview.if ?? "");
    if (!/github\.event_name == 'pull_request'/.test(cond)) out.push("preview: not limited to pull requests");
    if (!/github\.event\.pull_request\.head\.repo\.full_name == github\.repository/.test(cond))
      out.push("preview: runs for pull requests from forks");
    if (!PREVIEW_DIFF.test(r)) out.push("preview: does not run pulumi preview --diff");
    if (!/gh pr comment/.test(r)) out.push("preview: the preview is not posted on the pull request");
    if (WRITES.test(r)) out.push("preview: runs pulumi up, refresh or destroy");
    if (mayRequestToken(preview)) out.push("preview: may request an OIDC token (id-token: write)");
    if (/ACTIONS_ID_TOKEN_REQUEST/.test(seen(preview))) out.push("preview: requests an OIDC token");
    if (/AZURE_\w+/.test(seen(preview))) out.push("preview: has Azure credentials or their names (AZURE_*)");
    if (tokens(preview).some((t) => t && upSecrets.has(t)))
      out.push("preview: the state token is not a separate secret");
  }

  const plan = jobs.plan;
  if (plan) {
    const r = runs(plan);
    const cond = String(plan.if ?? "");
    if (!/github\.event_name != 'pull_request'/.test(cond) || !/github\.ref == 'refs\/heads\/main'/.test(cond))
      out.push("plan: not limited to main (outside pull requests)");
    if (!READS_APPROVAL.test(r))
      out.push("plan: does not read the committed approval (pulumi config … vm-offer:approvedContentHash)");
    if (!READS_RECORDED.test(r))
      out.push("plan: does not read the recorded approval (pulumi stack output … goLiveApproval)");
    if (WRITES.test(r)) out.push("plan: runs pulumi up, refresh or destroy");
    if (mayRequestToken(plan) || /ACTIONS_ID_TOKEN_REQUEST|AZURE_\w+/.test(seen(plan)))
      out.push("plan: has a Partner Center credential");
  }
  const decisions = Object.keys(plan?.outputs ?? {});
  const decides = (job: any, value: string) =>
    [job.needs].flat().includes("plan") &&
    decisions.some((k) => String(job.if ?? "").includes(`needs.plan.outputs.${k} == '${value}'`));

  for (const [name, value] of Object.entries(UP_JOBS.github)) {
    const job = jobs[name];
    if (!job) continue;
    const s = steps(job);
    const upAt = s.findIndex((x) => UP.test(run(x)));
    const refreshAt = s.findIndex((x) => REFRESH.test(run(x)));
    if (upAt < 0) out.push(`${name}: does not run pulumi up`);
    else {
      // Unconditional: the scheduled run must see where certification is before its up.
      if (!(refreshAt >= 0 && refreshAt < upAt && s[refreshAt].if === undefined))
        out.push(`${name}: does not run pulumi refresh before pulumi up`);
      if (!s.slice(upAt + 1).some((x) => /always\(\)/.test(String(x.if ?? "")) && reportsPhase(run(x))))
        out.push(`${name}: does not report publishPhase after pulumi up, always, failing on failed`);
    }
    if (!decides(job, value)) out.push(`${name}: does not run only when plan decides ${deciding(value)} a go-live`);
    if (!environmentName(job)) out.push(`${name}: has no environment`);
    if (!mayRequestToken(job)) out.push(`${name}: lacks id-token: write`);
    if (!OIDC_REQUEST.test(runs(job)))
      out.push(`${name}: does not request the OIDC token for api://AzureADTokenExchange`);
    if (!/AZURE_FEDERATED_TOKEN_FILE=/.test(runs(job))) out.push(`${name}: does not set AZURE_FEDERATED_TOKEN_FILE`);
  }
  const [up, goLive] = [jobs.up, jobs["go-live"]];
  if (goLive && !/github\.event_name != 'schedule'/.test(String(goLive.if ?? "")))
    out.push("go-live: runs on the schedule");
  if (up && goLive && environmentName(up) && environmentName(up) === environmentName(goLive))
    out.push("go-live uses the same environment as up");
  const group = (job: any) =>
    typeof job?.concurrency === "string"
      ? job.concurrency
      : job?.concurrency?.["cancel-in-progress"] === false
        ? job.concurrency.group
        : undefined;
  if (up && goLive && (!group(up) || group(up) !== group(goLive)))
    out.push("up and go-live do not share a concurrency group that never cancels");
  if (CLIENT_SECRET.test(text)) out.push("a client secret is referenced");
  return out;
}

const adoStages = (p: any) => new Map<string, any>(((p?.stages ?? []) as any[]).map((s) => [s.stage, s]));
const adoJobs = (stage: any) => (stage?.jobs ?? []) as any[];
const adoJobSteps = (job: any) => (job?.steps ?? job?.strategy?.runOnce?.deploy?.steps ?? []) as any[];
const adoSteps = (stage: any) => adoJobs(stage).flatMap(adoJobSteps);

/** What is wrong with the Azure Pipelines definition (empty when nothing is). */
export function azureProblems(text: string): string[] {
  const p = parse(text) as any;
  const out: string[] = [];
  if (!(p?.pr?.branches?.include ?? []).includes("main")) out.push("not run for pull requests into main");
  if (!(p?.trigger?.branches?.include ?? []).includes("main")) out.push("not triggered by main");
  // Without `always`, a schedule runs only when main changed, and certification moves without it.
  const followsClock = (s: any) =>
    typeof s?.cron === "string" && (s.branches?.include ?? []).includes("main") && s.always === true;
  if (!(p?.schedules ?? []).some(followsClock))
    out.push("no schedule on main that runs even without changes (always: true)");

  const stages = adoStages(p);
  for (const name of ["Preview", "Plan", "Up", "GoLive"]) if (!stages.has(name)) out.push(`no stage \`${name}\``);
  const script = (s: any) => String(s?.script ?? s?.bash ?? s?.inputs?.inlineScript ?? "");
  const scripts = (stage: any) => adoSteps(stage).map(script).join("\n");
  const cond = (stage: any) => String(stage?.condition ?? "");
  const usesConnection = (stage: any) =>
    adoSteps(stage).some(
      (s) =>
        /^Azure/.test(String(s.task ?? "")) ||
        ["azureSubscription", "connectedServiceNameARM", "azureResourceManagerConnection"].some((k) => s.inputs?.[k]),
    );
  const seesAzure = (stage: any) => /AZURE_\w+|\bidToken\b/.test(JSON.stringify(stage ?? {}));
  const mapped = (s: any) => /^\$\((\w+)\)$/.exec(String(s.env?.PULUMI_ACCESS_TOKEN ?? ""))?.[1];
  const groups = (stage: any) =>
    adoJobs(stage)
      .flatMap((j) => j.variables ?? [])
      .filter((v: any) => v?.group)
      .map((v: any) => String(v.group));

  for (const [name, stage] of stages) {
    for (const job of adoJobs(stage))
      if (!(job.timeoutInMinutes <= MAX_MINUTES))
        out.push(`${name}/${job.job ?? job.deployment}: no timeoutInMinutes of ${MAX_MINUTES} or less`);
    for (const s of adoSteps(stage))
      if (PULUMI_RUN.test(script(s)) && !mapped(s))
        out.push(`${name}: ${s.displayName}: PULUMI_ACCESS_TOKEN is not mapped from a secret variable`);
  }

  const upStages = Object.keys(UP_JOBS.azure).map((n) => stages.get(n));
  const preview = stages.get("Preview");
  if (preview) {
    const c = cond(preview);
    const sc = scripts(preview);
    if (!/eq\(variables\['Build\.Reason'\], 'PullRequest'\)/.test(c)) out.push("Preview: not limited to pull requests");
    if (!/ne\(variables\['System\.PullRequest\.IsFork'\], 'True'\)/.test(c))
      out.push("Preview: runs for pull requests from forks");
    if (!PREVIEW_DIFF.test(sc)) out.push("Preview: does not run pulumi preview --diff");
    if (!/pullRequests\/.*\/threads/.test(sc)) out.push("Preview: the preview is not posted on the pull request");
    if (WRITES.test(sc)) out.push("Preview: runs pulumi up, refresh or destroy");
    if (usesConnection(preview)) out.push("Preview: uses a service connection");
    if (seesAzure(preview)) out.push("Preview: has Azure credentials or their names (AZURE_*, $idToken)");
    const upTokens = new Set(upStages.flatMap(adoSteps).map(mapped));
    if (adoSteps(preview).some((s) => mapped(s) && upTokens.has(mapped(s))))
      out.push("Preview: the state token is not a separate secret variable");
    const upGroups = new Set(upStages.flatMap(groups));
    if (groups(preview).some((g) => upGroups.has(g))) out.push("Preview: links the variable group of the up stages");
  }

  const plan = stages.get("Plan");
  if (plan) {
    const c = cond(plan);
    const sc = scripts(plan);
    if (
      !/ne\(variables\['Build\.Reason'\], 'PullRequest'\)/.test(c) ||
      !/eq\(variables\['Build\.SourceBranch'\], 'refs\/heads\/main'\)/.test(c)
    )
      out.push("Plan: not limited to main (outside pull requests)");
    if (!READS_APPROVAL.test(sc))
      out.push("Plan: does not read the committed approval (pulumi config … vm-offer:approvedContentHash)");
    if (!READS_RECORDED.test(sc))
      out.push("Plan: does not read the recorded approval (pulumi stack output … goLiveApproval)");
    if (WRITES.test(sc)) out.push("Plan: runs pulumi up, refresh or destroy");
    if (usesConnection(plan) || seesAzure(plan)) out.push("Plan: has a Partner Center credential");
  }
  // What a later stage's condition reads: dependencies.Plan.outputs['<job>.<step>.<variable>'].
  const decisions = adoJobs(plan).flatMap((j) =>
    adoJobSteps(j).flatMap((s) => {
      const m = /##vso\[task\.setvariable variable=(\w+);isOutput=true\]/.exec(script(s));
      return m && s.name ? [`${j.job}.${s.name}.${m[1]}`] : [];
    }),
  );
  const decides = (stage: any, value: string) =>
    [stage.dependsOn].flat().includes("Plan") &&
    decisions.some((d) => cond(stage).includes(`eq(dependencies.Plan.outputs['${d}'], '${value}')`));

  for (const [name, value] of Object.entries(UP_JOBS.azure)) {
    const stage = stages.get(name);
    if (!stage) continue;
    if (!adoJobs(stage).some((j) => j.deployment && environmentName(j)))
      out.push(`${name}: not a deployment job with an environment`);
    if (!decides(stage, value)) out.push(`${name}: does not run only when Plan decides ${deciding(value)} a go-live`);
    const s = adoSteps(stage);
    const upAt = s.findIndex((x) => UP.test(script(x)));
    const refreshAt = s.findIndex((x) => REFRESH.test(script(x)));
    if (upAt < 0) out.push(`${name}: does not run pulumi up`);
    else {
      if (!(refreshAt >= 0 && refreshAt < upAt && s[refreshAt].condition === undefined))
        out.push(`${name}: does not run pulumi refresh before pulumi up`);
      if (!s.slice(upAt + 1).some((x) => /always\(\)/.test(String(x.condition ?? "")) && reportsPhase(script(x))))
        out.push(`${name}: does not report publishPhase after pulumi up, always, failing on failed`);
    }
    for (const x of s.filter((x) => UP.test(script(x)) || REFRESH.test(script(x)))) {
      if (x.task !== "AzureCLI@2" || x.inputs?.addSpnToEnvironment !== true || !x.inputs?.azureSubscription)
        out.push(`${name}: ${x.displayName}: not an AzureCLI@2 task with addSpnToEnvironment`);
      if (!/\$idToken/.test(script(x)) || !/export AZURE_FEDERATED_TOKEN_FILE=/.test(script(x)))
        out.push(`${name}: ${x.displayName}: the federated token is not handed over in AZURE_FEDERATED_TOKEN_FILE`);
    }
  }
  const environment = (stage: any) => environmentName(adoJobs(stage).find((j) => j.deployment));
  const [up, goLive] = upStages;
  if (goLive && !/ne\(variables\['Build\.Reason'\], 'Schedule'\)/.test(cond(goLive)))
    out.push("GoLive: runs on the schedule");
  if (up && goLive && environment(up) && environment(up) === environment(goLive))
    out.push("GoLive uses the same environment as Up");
  const anyGroup = [...(p?.variables ?? []), ...[...stages.values()].flatMap((st) => groups(st))].some(
    (v: any) => typeof v === "string" || v?.group,
  );
  if (!anyGroup) out.push("no variable group (the secret store) is used");
  if (CLIENT_SECRET.test(text)) out.push("a client secret is referenced");
  return out;
}

/**
 * What is wrong with the federated credentials examples/pipelines/README.md tells users to create:
 * a subject a job does not present fails the token exchange, and a subject nothing uses (or a
 * branch's) is a credential too many.
 */
export function readmeProblems(readme: string, github: string, azure: string): string[] {
  const out: string[] = [];
  if (/:ref:refs\/heads\//.test(readme))
    out.push("README: a federated subject names a branch (ref:refs/heads/…), not an environment");
  if (/repo:[^\s`]+:pull_request\b/.test(readme)) out.push("README: a federated subject for pull requests");
  const subjects = new Set([...readme.matchAll(/repo:[^\s`:]+\/[^\s`:]+:environment:([\w.-]+)/g)].map((m) => m[1]));
  const used = new Set(Object.values((parse(github) as any)?.jobs ?? {}).flatMap((j) => environmentName(j) ?? []));
  for (const e of used) if (!subjects.has(e)) out.push(`README: no federated subject for environment ${e}`);
  for (const e of subjects)
    if (!used.has(e)) out.push(`README: a federated subject names environment ${e}, which no GitHub job uses`);
  const stages = [...adoStages(parse(azure)).values()];
  const connections = new Set(stages.flatMap(adoSteps).flatMap((s) => s.inputs?.azureSubscription ?? []));
  for (const c of connections)
    if (!readme.includes(`sc://<organization>/<project>/${c}`))
      out.push(`README: no federated subject for service connection ${c}`);
  for (const e of new Set(stages.flatMap(adoJobs).flatMap((j) => environmentName(j) ?? [])))
    if (!readme.includes(`\`${e}\``)) out.push(`README: does not name the Azure Pipelines environment ${e}`);
  return out;
}

/**
 * `text` with `from` replaced (its first match, or every match of a global RegExp); a mutation
 * that matches nothing is a broken case, not a passing one.
 */
function mutate(text: string, from: string | RegExp, to: string): string {
  const found = typeof from === "string" ? text.includes(from) : from.test(text);
  if (!found) throw new Error(`crafted case: ${String(from)} is not in the file`);
  return text.replace(from, () => to);
}

/** A crafted bad definition: [what it breaks, text to replace, replacement, the problems it must cause]. */
type Case = [string, string | RegExp, string, string[]];

const githubCases: Case[] = [
  ["no pull_request trigger", "  pull_request:\n    branches: [main]\n", "", ["not triggered by pull requests"]],
  ["no push trigger", "  push:\n    branches: [main]\n", "", ["not triggered by pushes to main"]],
  ["no schedule", / {2}schedule:\n.*\n/, "", ["no schedule trigger"]],
  ["no manual run", / {2}workflow_dispatch:.*\n/, "", ["no manual trigger (workflow_dispatch)"]],
  [
    "preview without --diff",
    "pulumi preview --diff --stack",
    "pulumi preview --stack",
    ["preview: does not run pulumi preview --diff"],
  ],
  [
    "preview not posted",
    /gh pr comment .*\n/,
    "cat comment.md\n",
    ["preview: the preview is not posted on the pull request"],
  ],
  [
    "preview runs up",
    "| tee preview.txt\n",
    '| tee preview.txt\n          pulumi up --yes --stack "$PULUMI_STACK"\n',
    ["preview: runs pulumi up, refresh or destroy"],
  ],
  [
    "preview runs for forks",
    " && github.event.pull_request.head.repo.full_name == github.repository",
    "",
    ["preview: runs for pull requests from forks"],
  ],
  [
    "preview not limited to pull requests",
    "if: github.event_name == 'pull_request' && ",
    "if: ",
    ["preview: not limited to pull requests"],
  ],
  [
    "preview may request an OIDC token",
    "      pull-requests: write",
    "      id-token: write\n      pull-requests: write",
    ["preview: may request an OIDC token (id-token: write)"],
  ],
  [
    "preview requests an OIDC token",
    "      - name: pulumi preview --diff\n",
    '      - run: curl "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=api://AzureADTokenExchange"\n' +
      "      - name: pulumi preview --diff\n",
    ["preview: requests an OIDC token"],
  ],
  [
    "preview sees AZURE_*",
    "${{ secrets.PULUMI_PREVIEW_TOKEN }}\n    steps:",
    "${{ secrets.PULUMI_PREVIEW_TOKEN }}\n      AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID }}\n    steps:",
    ["preview: has Azure credentials or their names (AZURE_*)"],
  ],
  [
    "preview uses the up jobs' state token",
    "${{ secrets.PULUMI_PREVIEW_TOKEN }}\n    steps:",
    "${{ secrets.PULUMI_ACCESS_TOKEN }}\n    steps:",
    ["preview: the state token is not a separate secret"],
  ],
  [
    "plan on any branch",
    "if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'",
    "if: github.event_name != 'pull_request'",
    ["plan: not limited to main (outside pull requests)"],
  ],
  [
    "plan ignores the committed approval",
    '."vm-offer:approvedContentHash".value',
    '."vm-offer:other".value',
    ["plan: does not read the committed approval (pulumi config … vm-offer:approvedContentHash)"],
  ],
  [
    "plan ignores the recorded approval",
    ".goLiveApproval // empty",
    ".other // empty",
    ["plan: does not read the recorded approval (pulumi stack output … goLiveApproval)"],
  ],
  [
    "plan runs up",
    "          go_live=false\n",
    '          pulumi up --yes --stack "$PULUMI_STACK"\n          go_live=false\n',
    ["plan: runs pulumi up, refresh or destroy"],
  ],
  [
    "plan gets id-token (from the workflow's permissions)",
    "permissions:\n  contents: read\n",
    "permissions:\n  contents: read\n  id-token: write\n",
    ["plan: has a Partner Center credential"],
  ],
  [
    "the decision is not an output of plan",
    "go_live: ${{ steps.decide.outputs.go_live }}",
    "decision: ${{ steps.decide.outputs.go_live }}",
    [
      "up: does not run only when plan decides against a go-live",
      "go-live: does not run only when plan decides for a go-live",
    ],
  ],
  [
    "up ignores the decision",
    "if: needs.plan.outputs.go_live == 'false'",
    "if: always()",
    ["up: does not run only when plan decides against a go-live"],
  ],
  [
    "go-live ignores the decision",
    "if: needs.plan.outputs.go_live == 'true' && ",
    "if: ",
    ["go-live: does not run only when plan decides for a go-live"],
  ],
  ["go-live on the schedule", " && github.event_name != 'schedule'", "", ["go-live: runs on the schedule"]],
  [
    "go-live in the up job's environment",
    "environment: go-live",
    "environment: marketplace",
    ["go-live uses the same environment as up"],
  ],
  ["up without environment", "    environment: marketplace\n", "", ["up: has no environment"]],
  [
    "up without id-token",
    "id-token: write # lets the job request the OIDC token",
    "id-token: none",
    ["up: lacks id-token: write"],
  ],
  [
    "another audience (the token step is shared by both up jobs)",
    "audience=api://AzureADTokenExchange",
    "audience=other",
    [
      "up: does not request the OIDC token for api://AzureADTokenExchange",
      "go-live: does not request the OIDC token for api://AzureADTokenExchange",
    ],
  ],
  [
    "the token file is not handed over",
    'echo "AZURE_FEDERATED_TOKEN_FILE=$token_file" >> "$GITHUB_ENV"',
    "true",
    ["up: does not set AZURE_FEDERATED_TOKEN_FILE", "go-live: does not set AZURE_FEDERATED_TOKEN_FILE"],
  ],
  [
    "up without refresh",
    / {6}- name: pulumi refresh \(where certification is now\)\n.*\n.*\n/,
    "",
    ["up: does not run pulumi refresh before pulumi up"],
  ],
  [
    "up refreshes on pushes only",
    "      - name: pulumi refresh (where certification is now)\n",
    "      - name: pulumi refresh (where certification is now)\n        if: github.event_name == 'push'\n",
    ["up: does not run pulumi refresh before pulumi up"],
  ],
  [
    "the report does not run after a failed up",
    "      - name: Report the publication's phase\n        if: always()\n",
    "      - name: Report the publication's phase\n",
    ["up: does not report publishPhase after pulumi up, always, failing on failed"],
  ],
  [
    "the report does not fail on failed (shared by both up jobs)",
    'any(. == "failed")',
    'any(. == "gone")',
    [
      "up: does not report publishPhase after pulumi up, always, failing on failed",
      "go-live: does not report publishPhase after pulumi up, always, failing on failed",
    ],
  ],
  [
    "plan's time limit too long",
    "timeout-minutes: 15",
    "timeout-minutes: 60",
    ["plan: no timeout-minutes of 45 or less"],
  ],
  ["preview without time limit", "    timeout-minutes: 20\n", "", ["preview: no timeout-minutes of 45 or less"]],
  [
    "up may be cancelled half-way",
    "group: pulumi-prod\n      cancel-in-progress: false",
    "group: pulumi-prod\n      cancel-in-progress: true",
    ["up and go-live do not share a concurrency group that never cancels"],
  ],
  [
    "a state token not from the secret store",
    "PULUMI_ACCESS_TOKEN: ${{ secrets.PULUMI_ACCESS_TOKEN }}",
    "PULUMI_ACCESS_TOKEN: pul-0123456789",
    ["up: PULUMI_ACCESS_TOKEN does not come from the secret store"],
  ],
  [
    "a client secret",
    "AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID }}\n",
    "AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID }}\n      AZURE_CLIENT_SECRET: ${{ secrets.SP_SECRET }}\n",
    ["a client secret is referenced"],
  ],
  [
    "up does not run up",
    'run: pulumi up --yes --stack "$PULUMI_STACK"',
    'run: pulumi preview --stack "$PULUMI_STACK"',
    ["up: does not run pulumi up"],
  ],
  ["no go-live job", "  go-live:\n    needs: plan", "  golive:\n    needs: plan", ["no job `go-live`"]],
];

const azureCases: Case[] = [
  ["no pr trigger", "pr:\n  branches:\n    include: [main]\n", "", ["not run for pull requests into main"]],
  ["no CI trigger", "trigger:\n  branches:\n    include: [main]\n", "", ["not triggered by main"]],
  [
    "a schedule that skips unchanged main",
    "always: true",
    "always: false",
    ["no schedule on main that runs even without changes (always: true)"],
  ],
  [
    "preview not limited to pull requests",
    "and(eq(variables['Build.Reason'], 'PullRequest'),",
    "and(true,",
    ["Preview: not limited to pull requests"],
  ],
  [
    "preview runs for forks",
    "ne(variables['System.PullRequest.IsFork'], 'True')",
    "true",
    ["Preview: runs for pull requests from forks"],
  ],
  [
    "preview without --diff",
    "pulumi preview --diff --stack",
    "pulumi preview --stack",
    ["Preview: does not run pulumi preview --diff"],
  ],
  [
    "preview not posted",
    "/pullRequests/$(System.PullRequest.PullRequestId)/threads",
    "/other",
    ["Preview: the preview is not posted on the pull request"],
  ],
  [
    "preview runs up",
    '| tee "$preview_file"\n',
    '| tee "$preview_file"\n              pulumi up --yes --stack "$(pulumiStack)"\n',
    ["Preview: runs pulumi up, refresh or destroy"],
  ],
  [
    "preview uses a service connection",
    '          - task: NodeTool@0\n            inputs:\n              versionSpec: "22.x"\n',
    "          - task: AzureCLI@2\n            inputs:\n              azureSubscription: cloudpartner-wif\n" +
      "              scriptType: bash\n              inlineScript: node --version\n",
    ["Preview: uses a service connection"],
  ],
  [
    "preview sees AZURE_*",
    "PULUMI_ACCESS_TOKEN: $(PULUMI_PREVIEW_TOKEN)\n",
    "PULUMI_ACCESS_TOKEN: $(PULUMI_PREVIEW_TOKEN)\n              AZURE_CLIENT_ID: $(AZURE_CLIENT_ID)\n",
    ["Preview: has Azure credentials or their names (AZURE_*, $idToken)"],
  ],
  [
    "preview uses the up stages' state token",
    "PULUMI_ACCESS_TOKEN: $(PULUMI_PREVIEW_TOKEN)",
    "PULUMI_ACCESS_TOKEN: $(PULUMI_ACCESS_TOKEN)",
    ["Preview: the state token is not a separate secret variable"],
  ],
  [
    "preview links the up stages' group",
    "- group: cloudpartner-preview",
    "- group: cloudpartner",
    ["Preview: links the variable group of the up stages"],
  ],
  [
    "plan on any branch",
    "eq(variables['Build.SourceBranch'], 'refs/heads/main')",
    "true",
    ["Plan: not limited to main (outside pull requests)"],
  ],
  [
    "plan ignores the committed approval",
    '."vm-offer:approvedContentHash".value',
    '."vm-offer:other".value',
    ["Plan: does not read the committed approval (pulumi config … vm-offer:approvedContentHash)"],
  ],
  [
    "plan ignores the recorded approval",
    ".goLiveApproval // empty",
    ".other // empty",
    ["Plan: does not read the recorded approval (pulumi stack output … goLiveApproval)"],
  ],
  [
    "plan runs up",
    "              go_live=false\n",
    '              pulumi up --yes --stack "$(pulumiStack)"\n              go_live=false\n',
    ["Plan: runs pulumi up, refresh or destroy"],
  ],
  [
    "plan sees AZURE_*",
    "$(PULUMI_PREVIEW_TOKEN)\n\n  - stage: Up",
    "$(PULUMI_PREVIEW_TOKEN)\n              AZURE_CLIENT_ID: $(AZURE_CLIENT_ID)\n\n  - stage: Up",
    ["Plan: has a Partner Center credential"],
  ],
  [
    "the decision is not an output variable",
    "isOutput=true",
    "isOutput=false",
    [
      "Up: does not run only when Plan decides against a go-live",
      "GoLive: does not run only when Plan decides for a go-live",
    ],
  ],
  [
    "up ignores the decision",
    "eq(dependencies.Plan.outputs['plan.decide.goLive'], 'false')",
    "true",
    ["Up: does not run only when Plan decides against a go-live"],
  ],
  [
    "go-live ignores the decision",
    "eq(dependencies.Plan.outputs['plan.decide.goLive'], 'true')",
    "true",
    ["GoLive: does not run only when Plan decides for a go-live"],
  ],
  ["go-live on the schedule", "ne(variables['Build.Reason'], 'Schedule')", "true", ["GoLive: runs on the schedule"]],
  [
    "go-live in the up stage's environment",
    "environment: marketplace-go-live",
    "environment: marketplace",
    ["GoLive uses the same environment as Up"],
  ],
  [
    "up without environment",
    "        environment: marketplace\n",
    "",
    ["Up: not a deployment job with an environment"],
  ],
  [
    "up's refresh without the service principal's environment",
    "addSpnToEnvironment: true",
    "addSpnToEnvironment: false",
    ["Up: pulumi refresh: not an AzureCLI@2 task with addSpnToEnvironment"],
  ],
  [
    "up's refresh does not hand the token over",
    'export AZURE_FEDERATED_TOKEN_FILE="$token_file"',
    "true",
    ["Up: pulumi refresh: the federated token is not handed over in AZURE_FEDERATED_TOKEN_FILE"],
  ],
  ["up without refresh", "pulumi refresh --yes", "echo refresh", ["Up: does not run pulumi refresh before pulumi up"]],
  ["up does not run up", "pulumi up --yes", "pulumi preview --yes", ["Up: does not run pulumi up"]],
  ["no go-live stage", "- stage: GoLive", "- stage: Release", ["no stage `GoLive`"]],
  [
    "the report does not fail on failed",
    'any(. == "failed")',
    'any(. == "gone")',
    ["Up: does not report publishPhase after pulumi up, always, failing on failed"],
  ],
  [
    "the report does not run after a failed up",
    "condition: always()",
    "condition: succeeded()",
    ["Up: does not report publishPhase after pulumi up, always, failing on failed"],
  ],
  [
    "a state token not from a secret variable",
    "PULUMI_ACCESS_TOKEN: $(PULUMI_ACCESS_TOKEN)",
    "PULUMI_ACCESS_TOKEN: pul-0123456789",
    ["Up: pulumi refresh: PULUMI_ACCESS_TOKEN is not mapped from a secret variable"],
  ],
  [
    "plan's time limit too long",
    "timeoutInMinutes: 15",
    "timeoutInMinutes: 90",
    ["Plan/plan: no timeoutInMinutes of 45 or less"],
  ],
  ["no variable group", / *- group: .*\n/g, "", ["no variable group (the secret store) is used"]],
  [
    "a client secret",
    "cloudpartner-wif\n                    addSpnToEnvironment",
    "cloudpartner-wif\n                    servicePrincipalKey: x\n                    addSpnToEnvironment",
    ["a client secret is referenced"],
  ],
];

/** examples/pipelines: the CI definitions users copy (examples/pipelines/README.md). */
describe("unit: examples/pipelines (GitHub Actions, Azure Pipelines)", () => {
  it("GitHub Actions: read-only PR preview, plan, up and gated go-live, federated tokens, no client secret", () => {
    expect(githubProblems(read("github-actions.yml"))).to.deep.equal([]);
  });

  it("Azure Pipelines: read-only PR preview, plan, up and gated go-live, federated tokens, no client secret", () => {
    expect(azureProblems(read("azure-pipelines.yml"))).to.deep.equal([]);
  });

  it("the README's federated subjects are the environments and service connection the definitions use", () => {
    expect(readmeProblems(read("README.md"), read("github-actions.yml"), read("azure-pipelines.yml"))).to.deep.equal(
      [],
    );
  });

  it("the checks fail on crafted bad definitions", () => {
    const gh = read("github-actions.yml");
    for (const [what, from, to, problems] of githubCases)
      expect(githubProblems(mutate(gh, from, to)), `GitHub: ${what}`).to.deep.equal(problems);
    const az = read("azure-pipelines.yml");
    for (const [what, from, to, problems] of azureCases)
      expect(azureProblems(mutate(az, from, to)), `Azure Pipelines: ${what}`).to.deep.equal(problems);
    const readme = read("README.md");
    expect(
      readmeProblems(mutate(readme, "environment:go-live`", "ref:refs/heads/main`"), gh, az),
      "README: a branch subject",
    ).to.deep.equal([
      "README: a federated subject names a branch (ref:refs/heads/…), not an environment",
      "README: no federated subject for environment go-live",
    ]);
    expect(
      readmeProblems(readme, mutate(gh, "environment: go-live", "environment: release"), az),
      "README: a workflow environment renamed",
    ).to.deep.equal([
      "README: no federated subject for environment release",
      "README: a federated subject names environment go-live, which no GitHub job uses",
    ]);
    expect(
      readmeProblems(
        mutate(
          readme,
          "environment:marketplace` and",
          "environment:marketplace`, `repo:<owner>/<repo>:pull_request` and",
        ),
        gh,
        az,
      ),
      "README: a pull-request subject",
    ).to.deep.equal(["README: a federated subject for pull requests"]);
    expect(
      readmeProblems(readme, gh, mutate(az, "environment: marketplace-go-live", "environment: release")),
      "README: an Azure Pipelines environment renamed",
    ).to.deep.equal(["README: does not name the Azure Pipelines environment release"]);
    expect(
      readmeProblems(readme, gh, az.replaceAll("azureSubscription: cloudpartner-wif", "azureSubscription: other")),
      "README: another service connection",
    ).to.deep.equal(["README: no federated subject for service connection other"]);
  });
});
