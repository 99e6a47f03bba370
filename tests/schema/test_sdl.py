"""The committed SDL (what integrators read) is the schema the code serves."""

import difflib

from schema import SDL_PATH, sdl


def test_the_committed_sdl_matches_the_code():
    committed = SDL_PATH.read_text(encoding="utf-8")
    current = sdl()
    if committed != current:
        diff = "".join(difflib.unified_diff(committed.splitlines(True), current.splitlines(True),
                                            "schema/schema.graphql (committed)", "schema (code)", n=1))
        raise AssertionError(f"schema/schema.graphql is out of date: run `.venv/bin/ruam schema` and commit it.\n{diff}")


def test_every_mutation_returns_its_payload_or_typed_errors():
    from schema import schema

    mutation = schema._schema.mutation_type
    for name, field in mutation.fields.items():
        members = {t.name for t in field.type.of_type.types}
        assert {"PhaseClosed", "NotPermitted", "NotFound", "ValidationError", "ProxyRequired", "Conflict"} <= members, name
