"""The first facilitator of a new installation: made with `ruam token create --role facilitator`."""

import asyncio
import os
import sys

from tests.web.conftest import csrf_of


async def test_a_facilitator_made_on_the_command_line_signs_in(services, client, tmp_path):
    env = {**os.environ, "DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url,
           "DATA_DIR": str(tmp_path)}
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", "token", "create", "--name", "ครูสมศรี", "--role", "facilitator",
        "--scopes", "read,participate,facilitate", env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(command.communicate(), timeout=120)
    assert command.returncode == 0, err.decode()
    lines = out.decode().strip().splitlines()
    assert "for ครูสมศรี with scopes facilitate, participate, read" in lines[0]
    token = lines[-1]

    form = await client.get("/facilitate/sign-in")
    signed = await client.post("/facilitate/sign-in", data={"token": token, "next": "/facilitate",
                                                            "csrf_token": csrf_of(form)})
    assert signed.status_code == 303 and signed.headers["location"] == "/facilitate"
    home = await client.get("/facilitate")
    assert home.status_code == 200 and 'href="/facilitate/new"' in home.text  # may start a round
    new = await client.get("/facilitate/new")
    assert new.status_code == 200
