// The drift issues of .github/workflows/drift.yml, kept through actions/github-script.
// One open issue per environment, found again by its body's first line (the hidden marker that
// tools/drift_issue.py writes) among the open issues the bot opened:
//   state "open"  (doctor failed or could not check): update that issue, or create it;
//   state "close" (doctor passed): comment on it and close it; without one, do nothing.
"use strict";

const MARKER_PREFIX = "<!-- criipto-cognito-drift:";

async function openIssue(github, context, marker) {
  const { owner, repo } = context.repo;
  const issues = await github.paginate(github.rest.issues.listForRepo, {
    owner,
    repo,
    state: "open",
    per_page: 100,
  });
  return issues.find(
    (i) => !i.pull_request && i.user?.type === "Bot" && (i.body ?? "").startsWith(marker),
  );
}

async function sync({ github, context, body, title, state, runUrl }) {
  const marker = body.split("\n", 1)[0];
  if (!marker.startsWith(MARKER_PREFIX)) {
    throw new Error(`the issue text does not start with a drift marker: ${marker}`);
  }
  if (state !== "open" && state !== "close") {
    throw new Error(`state must be open or close, not ${JSON.stringify(state)}`);
  }
  const { owner, repo } = context.repo;
  const issue = await openIssue(github, context, marker);
  if (state === "open") {
    if (issue) {
      await github.rest.issues.update({ owner, repo, issue_number: issue.number, title, body });
      return `updated #${issue.number}`;
    }
    const created = await github.rest.issues.create({ owner, repo, title, body });
    return `created #${created.data.number}`;
  }
  if (!issue) {
    return "nothing to close";
  }
  await github.rest.issues.createComment({
    owner,
    repo,
    issue_number: issue.number,
    body: `doctor passes again: every check that could run passed. [Workflow run](${runUrl}).`,
  });
  await github.rest.issues.update({
    owner,
    repo,
    issue_number: issue.number,
    state: "closed",
    state_reason: "completed",
  });
  return `closed #${issue.number}`;
}

module.exports = { sync, MARKER_PREFIX };
