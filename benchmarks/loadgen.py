"""A lean HTTP/1.1 keep-alive client for the benchmarks: one connection per simulated client.

The load generator shares the machine's cores with the servers it measures, so every microsecond it
spends is taken from them. aiohttp costs ~100 µs of CPU per request (its request builder, header
objects, the JSON on both sides); this client writes request bytes built beforehand and reads the
answer by its Content-Length, ~10-15 µs per request. It understands only what the measured servers
send: a status line, headers with a content-length, a body; nothing chunked, nothing compressed.
"""

from __future__ import annotations

import asyncio


class Closed(Exception):
    pass


class Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.closed = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def connection_lost(self, exc) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(Closed(repr(exc)))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        head_end = self.buffer.find(b"\r\n\r\n")
        if head_end < 0:
            return
        head = bytes(self.buffer[:head_end]).lower()
        at = head.find(b"\r\ncontent-length:")
        if at < 0:
            self.waiter.set_exception(Closed("an answer without content-length"))
            return
        line_end = head.find(b"\r\n", at + 2)
        length = int(head[at + 17:line_end if line_end > 0 else len(head)])
        end = head_end + 4 + length
        if len(self.buffer) < end:
            return
        status = int(head[9:12])
        body = bytes(self.buffer[head_end + 4:end])
        del self.buffer[:end]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((status, body))

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.closed:
            raise Closed("connection closed")
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return await self.waiter

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def connect(port: int, host: str = "127.0.0.1") -> Connection:
    _, connection = await asyncio.get_running_loop().create_connection(Connection, host, port)
    return connection


def post(path: str, body: bytes, headers: dict[str, str], host: str = "127.0.0.1") -> bytes:
    """The bytes of one POST request, built once and sent many times."""
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
             f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def get(path: str, host: str = "127.0.0.1") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
