"""Make a synthesized cdktf.out readable for checkov's terraform_json scanner, in place.

checkov 3.3.30's terraform_json parser expects every attribute of the top-level ``terraform``
block to be a block (a JSON object) and gives up on the whole file ("this method receives only
dicts") at ``required_version``, a plain string: it then scans nothing and reports zero checks.
``required_version`` carries no policy, so it is dropped from checkov's own copy (make checkov
synthesizes into build/checkov); the cdktf.out that Terraform reads keeps it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def strip_required_version(root: Path) -> int:
    """Drop ``terraform.required_version`` from each ``*.tf.json`` under ``root``; files changed."""
    changed = 0
    for path in sorted(root.rglob("*.tf.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        terraform = document.get("terraform")
        if isinstance(terraform, dict) and "required_version" in terraform:
            del terraform["required_version"]
            path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
            changed += 1
    return changed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: checkov_input.py CDKTF_OUT_DIRECTORY")
    strip_required_version(Path(sys.argv[1]))
