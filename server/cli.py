"""The `ruam` command: thin wrappers that parse arguments and call the services.

Each command imports what it uses when it runs: a one-shot command such as `ruam consolidate` is mostly its
process's start-up, and the web app, the worker, Redis's client and the models of other domains are no part
of it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import socket
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from server.config import Settings
    from server.runtime import Runtime


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from server.app import create_app
    from server.demo.announcement import forget, lines, listening_url
    from server.supervision import Supervised

    class Announcing(uvicorn.Server):
        """Says what `ruam demo` left to say (server/demo/announcement.py) once the socket listens: after the
        server's own start-up lines, on the address it really has."""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if not self.started or not self.servers or not self.servers[0].sockets:
                return
            bound = self.servers[0].sockets[0].getsockname()
            base = listening_url(settings.public_url, (settings.host, settings.port), (str(bound[0]), int(bound[1])))
            try:
                said = await lines(app.state.runtime.sessions, settings.data_dir, base)
            except Exception:  # the demo's links are a courtesy: the server serves without them
                logging.getLogger(__name__).exception("the demo's links could not be read")
                return
            if said:
                print("\n".join(said), flush=True)
                forget(settings.data_dir)

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            # uvicorn raises a SIGTERM again once it has shut down, which ends the process before any
            # `finally`: the worker beside it is stopped here, or systemd, Docker and Kubernetes would
            # leave it running alone
            await super().shutdown(sockets=sockets)
            if worker is not None:
                await asyncio.to_thread(worker.stop)

    if args.workers > 1:
        _serve_processes(settings, args)
        return
    worker = None
    if args.with_worker:
        # one command for a laptop or field office: the web app and a worker beside it, started again
        # whenever it exits
        worker = Supervised([sys.executable, "-m", "server.cli", "worker"], name="worker").start()
    try:
        app = create_app(settings)
        # the app logs each request by its route (server/logs.py); uvicorn's line would hold the address
        server = Announcing(uvicorn.Config(app, host=args.host or settings.host, port=args.port or settings.port,
                                           log_level=settings.log_level.lower(), access_log=False,
                                           log_config=None,  # its lines go through ours (server/logs.py)
                                           proxy_headers=True))
        server.run()
        if not server.started:
            sys.exit(3)  # as uvicorn.run does: the port taken, or the app failed to start
    finally:
        if worker is not None:
            worker.stop()


def _serve_processes(settings: Settings, args: argparse.Namespace) -> None:
    """`ruam serve --workers N`: N web processes on one socket. They share nothing but PostgreSQL and Redis,
    so the embedded ones (no DATABASE_URL or REDIS_URL) are started here, once, and handed to each process
    through its environment; the demo's links are said here, once, and the background worker is
    supervised here, not in each process."""
    import os

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from server.demo.announcement import forget, lines, listening_url
    from server.embedded import start_services
    from server.supervision import Supervised

    services = start_services(settings.database_url, settings.redis_url, settings.data_dir)
    worker = None
    try:
        # each web process builds its app from the environment (server/asgi.py), as `uvicorn server.asgi:app`
        os.environ.update(DATABASE_URL=services.database_url, REDIS_URL=services.redis_url)
        if args.with_worker:
            worker = Supervised([sys.executable, "-m", "server.cli", "worker"], name="worker").start()
        config = uvicorn.Config("server.asgi:app", host=args.host or settings.host, port=args.port or settings.port,
                                workers=args.workers, log_level=settings.log_level.lower(), access_log=False,
                                log_config=None, proxy_headers=True)
        socket_ = config.bind_socket()
        bound = socket_.getsockname()
        base = listening_url(settings.public_url, (settings.host, settings.port), (str(bound[0]), int(bound[1])))

        async def announce() -> list[str]:
            from server.database import make_engine, make_sessionmaker

            engine = make_engine(services.database_url)
            try:
                return await lines(make_sessionmaker(engine), settings.data_dir, base)
            finally:
                await engine.dispose()

        try:
            said = asyncio.run(announce())
        except Exception:  # the demo's links are a courtesy: the server serves without them
            logging.getLogger(__name__).exception("the demo's links could not be read")
            said = []
        if said:  # the socket listens already: a request waits for the first process to take it
            print("\n".join(said), flush=True)
            forget(settings.data_dir)
        Multiprocess(config, sockets=[socket_]).run()
    finally:
        if worker is not None:
            worker.stop()
        services.stop()


def _worker(settings: Settings, args: argparse.Namespace) -> None:
    from workers.settings import run_worker

    run_worker(settings)


async def _migrate(runtime: Runtime, args: argparse.Namespace) -> None:
    from server.migrate import upgrade

    await upgrade(runtime.services.database_url)
    print("database is at the latest schema")


async def _demo(runtime: Runtime, args: argparse.Namespace) -> None:
    from server.demo.loader import load_demo

    summary = await load_demo(runtime.sessions, secret=runtime.settings.secret_key,
                              data_dir=runtime.settings.data_dir)
    print(summary)


async def _import_polis(runtime: Runtime, args: argparse.Namespace) -> None:
    from sqlalchemy import select

    from server.database import unit_of_work
    from server.events.models import Event
    from server.imports.polis import import_polis
    from server.people.service import system_actor

    async with unit_of_work(runtime.sessions) as session:
        round_ = await import_polis(session, await system_actor(session), args.folder)
        imported = await session.scalar(
            select(Event).where(Event.round_id == round_.id, Event.type == "round.imported"))
        assert imported is not None, "import_polis records the import as an event"
        counts = imported.payload
    print(f"imported {counts['statements']} statements, {counts['participants']} participants, "
          f"{counts['votes']} votes as round {round_.slug}")
    print(round_.id)


async def _consolidate(runtime: Runtime, args: argparse.Namespace) -> None:
    import json
    from collections import Counter

    from server.consolidation import details, memberships
    from server.consolidation.service import consolidate
    from server.database import unit_of_work
    from server.rounds.service import find_round

    async with unit_of_work(runtime.sessions) as session:
        round_ = await find_round(session, args.round)
        proposal = await consolidate(session, round_.id)
        # stored apart from the summary, and part of what --json has always printed
        members = await memberships.of_version(session, proposal) if args.json else {}
        result = await details.result_of(session, proposal)
    if args.json:
        print(json.dumps({"round_id": str(round_.id), "version": proposal.version,
                          "inputs_hash": proposal.inputs_hash, "input_counts": proposal.input_counts,
                          **result, "opinion_groups": members}, ensure_ascii=False))
    else:
        statuses = Counter(c["status"] for c in result["clauses"])
        print(f"round {round_.slug}: version {proposal.version}, "
              + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))


async def _export(runtime: Runtime, args: argparse.Namespace) -> None:
    from pathlib import Path

    from server.database import unit_of_work
    from server.opendata.service import export
    from server.rounds.service import find_round

    folder = Path(args.folder)
    async with unit_of_work(runtime.sessions) as session:
        round_ = await find_round(session, args.round)
        written = await export(session, round_, folder, secret=runtime.settings.secret_key,
                               base_url=runtime.settings.public_url)
    print(f"wrote {len(written)} files of round {round_.slug}'s open data to {folder}")


async def _token(runtime: Runtime, args: argparse.Namespace) -> None:
    import uuid

    from server.auth.service import create_token, revoke_token
    from server.database import unit_of_work
    from server.people.service import create_participant, get_participant

    async with unit_of_work(runtime.sessions) as session:
        if args.action == "revoke":
            token = await revoke_token(session, None, uuid.UUID(args.token_id))
            print(f"revoked token {token.id} ({token.name})")
            return
        if args.participant:
            participant = await get_participant(session, uuid.UUID(args.participant))
        else:
            participant = await create_participant(session, None, display_name=args.name, role=args.role)
        token, plain = await create_token(session, None, participant.id, name=args.name,
                                          scopes=[s.strip() for s in args.scopes.split(",") if s.strip()])
    print(f"token {token.id} for {participant.display_name} with scopes {', '.join(token.scopes)}")
    print("Keep it secret; it is shown only this once:")
    print(plain)


async def _admin(runtime: Runtime, args: argparse.Namespace) -> None:
    from server.database import unit_of_work
    from server.staff.rules import LINK_LIFE
    from server.staff.service import invite

    async with unit_of_work(runtime.sessions) as session:
        _, plain = await invite(session, None, role="admin")
    print(f"An invitation for a new administrator, good once within {LINK_LIFE.days} days. Open it in a browser "
          "to choose a name and a passphrase; it is shown only this once:")
    print(f"{runtime.settings.public_url}/staff/invite/{plain}")


def _schema(settings: Settings, args: argparse.Namespace) -> None:
    """Writes the GraphQL SDL that integrators read (tests/schema/test_sdl.py checks it is current)."""
    from schema import SDL_PATH, sdl

    SDL_PATH.write_text(sdl(), encoding="utf-8")
    print(f"wrote {SDL_PATH}")


async def _photos(runtime: Runtime, args: argparse.Namespace) -> None:
    from server.needs.photo_import import import_files
    from server.needs.photo_store import PostgresPhotoStore

    copied, skipped = await import_files(PostgresPhotoStore(runtime.sessions), runtime.settings.data_dir)
    print(f"{copied} photos are in the database; {skipped} incomplete files were left out")


def _with_runtime(
    job: Callable[[Runtime, argparse.Namespace], Awaitable[None]],
) -> Callable[[Settings, argparse.Namespace], None]:
    """A command that talks to PostgreSQL. None of them talks to Redis, so none opens it (nor, when no
    REDIS_URL is set, starts the embedded one)."""

    def run(settings: Settings, args: argparse.Namespace) -> None:
        from server.runtime import open_runtime

        async def main() -> None:
            async with open_runtime(settings, redis=False) as runtime:
                await job(runtime, args)

        asyncio.run(main())

    return run


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ruam", description="Ruam: participatory policy co-design.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the web app and API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--with-worker", action="store_true", help="also run a background worker")
    serve.add_argument("--workers", type=int, default=1, help="web processes sharing the port (default 1)")
    serve.set_defaults(run=_serve)
    commands.add_parser("worker", help="run the background worker").set_defaults(run=_worker)
    commands.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        run=_with_runtime(_migrate))
    commands.add_parser("demo", help="load the demonstration rounds (safe to run again)").set_defaults(
        run=_with_runtime(_demo))
    polis = commands.add_parser("import-polis", help="import a Pol.is export folder as a round")
    polis.add_argument("folder")
    polis.set_defaults(run=_with_runtime(_import_polis))
    consolidate = commands.add_parser("consolidate", help="consolidate a round now")
    consolidate.add_argument("round", help="the round's id or slug")
    consolidate.add_argument("--json", action="store_true", help="print the whole proposal as JSON")
    # one proposal, then the process ends: importing numpy, scipy, SQLAlchemy and the models and building the
    # proposal make many objects and few cycles, and the cycle collector's passes over them cost a sixth of
    # the command's CPU (what cycles there are go with the process)
    consolidate.set_defaults(run=_with_runtime(_consolidate), collect_cycles=False)
    export = commands.add_parser("export", help="write a published round's open data (and a Pol.is export) to a folder")
    export.add_argument("round", help="the round's id or slug")
    export.add_argument("folder", help="where to write it (made if missing)")
    export.set_defaults(run=_with_runtime(_export))
    token = commands.add_parser("token", help="create or revoke an API token")
    token_actions = token.add_subparsers(dest="action", required=True)
    create = token_actions.add_parser("create", help="a new token, printed once")
    create.add_argument("--name", required=True, help="who or what uses it, e.g. 'Ministry data team'")
    create.add_argument("--scopes", default="read", help="comma-separated: read, participate, facilitate, admin")
    create.add_argument("--participant", help="the participant id it acts as (default: a new person, see --role)")
    create.add_argument("--role", default="integrator", choices=("integrator", "facilitator", "admin"),
                        help="the new person's role: a facilitator signs in at /facilitate/sign-in with the "
                             "token (scopes read,participate,facilitate)")
    revoke = token_actions.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("token_id")
    token.set_defaults(run=_with_runtime(_token))
    admin = commands.add_parser("admin", help="staff accounts for the first administrator")
    admin_actions = admin.add_subparsers(dest="action", required=True)
    admin_actions.add_parser("invite", help="a one-time link that makes a new administrator, printed once")
    admin.set_defaults(run=_with_runtime(_admin))
    photos = commands.add_parser("photos", help="need photos")
    photos.add_subparsers(dest="action", required=True).add_parser(
        "import-files", help="copy photos kept under DATA_DIR by earlier versions into the database")
    photos.set_defaults(run=_with_runtime(_photos))
    commands.add_parser("schema", help="write the GraphQL SDL to schema/schema.graphql").set_defaults(run=_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    one_shot = not getattr(args, "collect_cycles", True)
    if one_shot:
        gc.disable()  # before the imports below and the command's own
    from server import logs
    from server.config import ConfigError, Settings
    from server.errors import DomainError, ValidationError

    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print("Ruam cannot start; fix the following and try again:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level, settings.log_format)
    try:
        args.run(settings, args)
    except ValidationError as error:
        for field, message in error.field_messages(settings.default_locale).items():
            print(f"error: {field}: {message}", file=sys.stderr)
        return 1
    except DomainError as error:
        print(f"error: {error.message(settings.default_locale)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if one_shot:
            # the interpreter's exit collects once whether or not collection is off, over every object the run
            # made (a sixth of `ruam consolidate`'s CPU): frozen, they are left to the process's end
            gc.freeze()
    return 0


if __name__ == "__main__":
    sys.exit(main())
