// The pull-request comments of .github/workflows/plan.yml, posted through actions/github-script.
// The plan workflow loads this file from the base branch's checkout, never from the pull
// request. Each environment has one comment, found again by its first line (a hidden marker
// that tools/plan_summary.py writes) and replaced in place: a failed run replaces the last
// good plan, so no stale plan stays on the pull request looking current.
"use strict";

const MARKER_PREFIX = "<!-- criipto-cognito-plan:";

async function ourComments(github, context) {
  const { owner, repo } = context.repo;
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number: context.issue.number,
    per_page: 100,
  });
  return comments.filter(
    (c) => c.user?.type === "Bot" && (c.body ?? "").startsWith(MARKER_PREFIX),
  );
}

// Create or replace the comment whose marker is `body`'s first line.
async function upsert({ github, context, body }) {
  const marker = body.split("\n", 1)[0];
  if (!marker.startsWith(MARKER_PREFIX)) {
    throw new Error(`the comment does not start with a plan marker: ${marker}`);
  }
  const { owner, repo } = context.repo;
  const previous = (await ourComments(github, context)).find((c) => c.body.startsWith(marker));
  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    return "updated";
  }
  await github.rest.issues.createComment({
    owner,
    repo,
    issue_number: context.issue.number,
    body,
  });
  return "created";
}

// Synthesis failed, so no environment was planned: every existing plan comment is replaced
// by one that says so (its marker kept), instead of showing a plan of an older commit.
async function markAllFailed({ github, context, commit, runUrl }) {
  const { owner, repo } = context.repo;
  const comments = await ourComments(github, context);
  for (const comment of comments) {
    const marker = comment.body.split("\n", 1)[0];
    const environment = marker.slice(MARKER_PREFIX.length).replace(/ -->$/, "");
    const body = [
      marker,
      `### Terraform plan: \`${environment}\``,
      "",
      "**The plan failed at synthesis (federation.toml or cdktf).** There is no current plan " +
        "for this commit: the workflow run's summary has the lines.",
      "",
      `<sub>Built merge commit \`${commit.slice(0, 12)}\`. [Workflow run](${runUrl}).</sub>`,
      "",
    ].join("\n");
    await github.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body });
  }
  return comments.length;
}

module.exports = { upsert, markAllFailed, MARKER_PREFIX };
