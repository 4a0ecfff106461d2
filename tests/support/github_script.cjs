// Runs an actions/github-script `script:` under node as the action does (an async function of
// github, context, core, glob, io, exec, fetch, require), with a stand-in `github` whose
// issue comments and open issues come from a JSON state file. Prints the API calls it received as JSON.
// usage: node github_script.cjs SCRIPT_FILE STATE_FILE
"use strict";
const fs = require("fs");

const [scriptFile, stateFile] = process.argv.slice(2);
const script = fs.readFileSync(scriptFile, "utf8");
const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
const calls = [];

const github = {
  // Octokit's paginate calls the method and concatenates the pages' data.
  paginate: async (method, params) => (await method(params)).data,
  rest: {
    issues: {
      listComments: async (params) => {
        calls.push({ method: "listComments", params });
        return { data: state.comments };
      },
      updateComment: async (params) => {
        calls.push({ method: "updateComment", params });
        return { data: { id: params.comment_id } };
      },
      createComment: async (params) => {
        calls.push({ method: "createComment", params });
        return { data: { id: 1000 } };
      },
      listForRepo: async (params) => {
        calls.push({ method: "listForRepo", params });
        return { data: state.issues ?? [] };
      },
      create: async (params) => {
        calls.push({ method: "create", params });
        return { data: { number: 900 } };
      },
      update: async (params) => {
        calls.push({ method: "update", params });
        return { data: { number: params.issue_number } };
      },
    },
  },
};
const context = state.context;
const core = { info: console.log, setFailed: (m) => { throw new Error(m); } };

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
const run = new AsyncFunction("github", "context", "core", "glob", "io", "exec", "fetch", "require", script);
run(github, context, core, null, null, null, null, require)
  .then(() => process.stdout.write("\n" + JSON.stringify(calls) + "\n"))
  .catch((error) => {
    console.error(error.stack || String(error));
    process.exit(1);
  });
