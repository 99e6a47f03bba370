"""A setting nobody knows about is left at its default. PUBLIC_URL's is http://HOST:PORT, so an install
behind TLS that never set it sends its session cookie without Secure (readable on any plain-HTTP request
the browser is tricked into), and prints QR codes pointing at 127.0.0.1. Every variable server/config.py
reads is in the README's configuration table and in deploy/ruam.env.example; PUBLIC_URL is in the
deployment walk-through, as https://."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_read() -> set[str]:
    code = (ROOT / "server" / "config.py").read_text()
    return set(re.findall(r'(?:env\.get\(|_optional\(env, |_flag\(env, )"([A-Z_]+)"', code))


def test_every_setting_is_in_the_readme_table_and_the_example_environment():
    names = settings_read()
    assert {"DATABASE_URL", "SECRET_KEY", "PUBLIC_URL"} <= names  # the pattern still finds them
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration"):readme.index("The `ruam` command")]
    example = (ROOT / "deploy" / "ruam.env.example").read_text()
    assert sorted(n for n in names if f"`{n}`" not in table) == []
    assert sorted(n for n in names if not re.search(rf"^#? ?{n}=", example, re.MULTILINE)) == []


def test_public_url_is_set_to_https_where_a_server_is_deployed():
    example = (ROOT / "deploy" / "ruam.env.example").read_text()
    assert re.search(r"^PUBLIC_URL=https://", example, re.MULTILINE)
    walk_through = (ROOT / "deploy" / "README.md").read_text()
    assert "PUBLIC_URL" in walk_through and "Secure" in walk_through
    readme = (ROOT / "README.md").read_text()
    row = next(line for line in readme.splitlines() if line.startswith("| `PUBLIC_URL`"))
    assert "https://" in row and "Secure" in row and "QR" in row and "photo" in row
