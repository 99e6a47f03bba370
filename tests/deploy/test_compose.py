"""compose.yaml: the order things start in, the checks that say a process is ready, and settings that are
ones Ruam reads, none of them secret in the file itself."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
RUAM = ("migrate", "web", "web2", "worker")
WEB = ("web", "web2")
SECRETS = ("SECRET_KEY", "POSTGRES_PASSWORD", "VAPID_PRIVATE_KEY")


def services() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return compose["services"]


def settings_ruam_reads() -> set[str]:
    source = (ROOT / "server" / "config.py").read_text()
    names = set(re.findall(r"""(?:env\.get\(|_optional\(env, |_flag\(env, )["']([A-Z_]+)["']""", source))
    assert {"DATABASE_URL", "SECRET_KEY", "PUBLIC_URL"} <= names, "config.py reads its settings another way now"
    return names


def test_every_part_is_there_and_ruam_runs_from_the_dockerfile() -> None:
    found = services()
    assert {"postgres", "redis", *RUAM} <= found.keys()
    for name in RUAM:
        assert found[name]["build"] == ".", f"{name} must run the image built from the Dockerfile"
        assert found[name]["command"][0] == "ruam"
    assert found["migrate"]["command"] == ["ruam", "migrate"]
    assert found["worker"]["command"] == ["ruam", "worker"]
    assert all(found[name]["command"] == ["ruam", "serve"] for name in WEB)
    assert re.fullmatch(r"postgres:\d+\.\d+\S*", found["postgres"]["image"]), "pin the postgres image"
    assert re.fullmatch(r"redis:\d+\.\d+\.\d+\S*", found["redis"]["image"]), "pin the redis image"


def test_the_schema_is_migrated_before_any_web_process_or_worker_starts() -> None:
    found = services()
    assert found["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert found["migrate"]["restart"] == "no"
    for name in (*WEB, "worker"):
        assert found[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_health_is_checked_where_there_is_something_to_ask() -> None:
    found = services()
    for name in WEB:
        assert any("/readyz" in part for part in found[name]["healthcheck"]["test"]), name
    assert "pg_isready" in found["postgres"]["healthcheck"]["test"]
    assert "ping" in found["redis"]["healthcheck"]["test"]
    # the image's check asks for /readyz, which only a web process answers
    assert found["worker"]["healthcheck"] == {"disable": True}
    assert found["migrate"]["healthcheck"] == {"disable": True}


def test_one_web_process_is_published_and_only_on_this_machine() -> None:
    found = services()
    assert found["web"]["ports"] == ["127.0.0.1:8000:8000"]
    assert "ports" not in found["web2"] and "ports" not in found["worker"]


def test_no_secret_is_written_in_the_file() -> None:
    found = services()
    for name, service in found.items():
        environment = service.get("environment", {})
        for key in SECRETS:
            if key in environment:
                assert re.fullmatch(r"\$\{" + key + r"[:?-][^}]*\}", environment[key]), f"{name}: {key} inline"
        if "DATABASE_URL" in environment:
            password = re.fullmatch(r"postgresql://ruam:(.*)@postgres:5432/ruam", environment["DATABASE_URL"])
            assert password and password[1].startswith("${POSTGRES_PASSWORD:?"), name
    required = found["web"]["environment"]
    assert required["SECRET_KEY"].startswith("${SECRET_KEY:?"), "a missing key must stop compose, not be made"


def test_settings_passed_to_ruam_are_ones_it_reads_and_point_at_the_services() -> None:
    reads = settings_ruam_reads()
    found = services()
    for name in RUAM:
        environment = found[name]["environment"]
        assert set(environment) <= reads, f"{name} sets what Ruam never reads: {set(environment) - reads}"
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PUBLIC_URL"} <= set(environment)
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
    example = (ROOT / "deploy" / "compose.env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    assert documented - {"POSTGRES_PASSWORD"} <= reads


def test_web_processes_share_no_disk_but_need_photos() -> None:
    """Two web processes on one disk would hide a process-local file that a second machine could not see:
    the only volume they share is the need photos' (until those live in PostgreSQL, compose.yaml says)."""
    found = services()
    for name in WEB:
        assert found[name].get("volumes", []) in ([], ["uploads:/var/lib/ruam/uploads"]), name


def test_the_env_file_stays_out_of_git_and_the_image() -> None:
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()
