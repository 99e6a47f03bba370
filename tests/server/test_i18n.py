"""Every user-facing string in the code has a Thai translation that keeps its placeholders."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from server.i18n import LOCALE_DIR

ROOT = Path(__file__).parent.parent.parent
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")


def test_the_thai_catalogue_covers_the_code_and_keeps_placeholders(tmp_path):
    pot = tmp_path / "ruam.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "-k", "N_", "-o", str(pot), "server", "web", "schema", "workers"], cwd=ROOT, check=True)
    with pot.open("rb") as handle:
        in_code = {m.id for m in read_po(handle) if m.id}
    with (LOCALE_DIR / "th" / "LC_MESSAGES" / "ruam.po").open("rb") as handle:
        thai = {m.id: m.string for m in read_po(handle) if m.id}
    assert sorted(i for i in in_code if not thai.get(i)) == [], "run `make messages` and translate"
    for msgid, text in thai.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(text)), msgid
