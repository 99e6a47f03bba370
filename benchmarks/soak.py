"""The soak test (issue 9): a round under steady load from its members while PostgreSQL, Redis, the worker
and a web process fail one after another; what the members and the proposal saw, and whether the ledger
held.

Run from the project root:

    .venv/bin/python benchmarks/soak.py [--duration 240] [--rate 35] [--participants 200] [--clauses 40]
                                        [--faults redis,postgres,worker,web | none | redis@30:20,...]
                                        [--seed 1] [--json var/soak/result.json] [--directory var/soak]

It starts its own PostgreSQL and Redis on free 127.0.0.1 ports under --directory (wiped first; every
process's log stays there), migrates, seeds a round in deliberation through the services, runs two
`ruam serve` (--webs) and one `ruam worker` (--workers), and sends --rate requests a second (90 % castVote,
7 % postComment, 3 % submitNeed by default) from --participants members for --duration seconds while each fault strikes
in its own window. Then it waits up to --quiesce seconds for the relay and the proposal to catch up, and
checks the ledger. The machinery is in tests/faults/ (soak.py says which file does what); a short run of
it is tests/faults/test_soak_short.py. Exit status 1 when the ledger check fails.

Fault syntax: name[@at[:down]], comma-separated, names redis, postgres, worker, web; at and down in
seconds (at: after the load starts; without it, faults are spread evenly over the run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import sys
from dataclasses import fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faults.soak import SoakConfig, run_soak


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    defaults = SoakConfig()
    for f in fields(SoakConfig):
        default = getattr(defaults, f.name)
        parser.add_argument(f"--{f.name.replace('_', '-')}", type=type(default), default=default,
                            help=f"(default {default})")
    parser.add_argument("--directory", type=Path, default=ROOT / "var" / "soak",
                        help="where the servers keep their data and every process its log (wiped first)")
    parser.add_argument("--json", type=Path, help="also write the figures, every sample and the ledger here")
    return parser.parse_args()


async def main(args: argparse.Namespace) -> int:
    config = SoakConfig(**{f.name: getattr(args, f.name) for f in fields(SoakConfig)})
    result = await run_soak(config, args.directory.resolve())
    print()
    print(result.report())
    print(f"command: {shlex.join(['.venv/bin/python', *sys.argv])}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result.to_json(), indent=1, default=str))
        print(f"figures written to {args.json}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse())))
