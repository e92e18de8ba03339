"""Issue 7, finding 6: an oversized body is refused early, over a real socket.

A 50 MB batch was once read whole and answered 200. Now a declared Content-Length above the
route's limit is answered 413 before any of the body is read, and a chunked body is counted
as it streams and refused at the limit. Both run against `oppgjor serve` on each store.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.tilgang.token import lag_token
from tests.conftest import HOBOL
from tests.server import Server

MIB = 1024 * 1024


@pytest.fixture
def server(lager_url: str, tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path / "data", lager_url)
    s.start()
    try:
        yield s
    finally:
        s.stopp()


def _hode(server: Server, ekstra: str) -> bytes:
    token = lag_token(HOBOL, "sio:vedtak.write", data_dir=server.data_dir)
    return (
        f"POST /v1/hendelser HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n{ekstra}\r\n"
    ).encode()


def _les_svar(s: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        bit = s.recv(65536)
        assert bit, f"forbindelsen ble lukket uten svar: {data!r}"
        data += bit
    hode, _, kropp = data.partition(b"\r\n\r\n")
    linjer = hode.decode("latin-1").split("\r\n")
    felter = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in linjer[1:])}
    lengde = int(felter.get("content-length", "0"))
    while len(kropp) < lengde:
        bit = s.recv(65536)
        if not bit:
            break
        kropp += bit
    return int(linjer[0].split()[1]), felter, kropp


def test_content_length_over_grensen_avvises_uten_aa_lese_kroppen(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        # 50 MB declared; only the first kilobyte is ever sent.
        s.sendall(_hode(server, f"Content-Length: {50 * 1000 * 1000}\r\n"))
        s.sendall(b'{"hendelser": [' + b" " * 1024)
        status, felter, kropp = _les_svar(s)
    assert status == 413
    assert felter["content-type"] == "application/problem+json"
    problem = json.loads(kropp)
    assert problem["status"] == 413
    assert problem["detail"] == "Kroppen er større enn grensen på 4194304 byte for denne ruten"


def test_chunket_kropp_stoppes_ved_grensen(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(_hode(server, "Transfer-Encoding: chunked\r\n"))
        bit = b" " * 65536
        sendt = 0
        # Stream 5 MiB in chunks, never sending the terminating chunk: the answer must
        # come while the body is still unfinished.
        try:
            while sendt < 5 * MIB:
                s.sendall(b"%x\r\n" % len(bit) + bit + b"\r\n")
                sendt += len(bit)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading at the limit and closed: also a refusal
        status, _, kropp = _les_svar(s)
    assert status == 413
    assert json.loads(kropp)["detail"] == (
        "Kroppen er større enn grensen på 4194304 byte for denne ruten"
    )


def test_andre_ruter_har_mindre_grense(server: Server) -> None:
    token = lag_token("983544622", "sio:oppgjor.write", data_dir=server.data_dir)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(
            (
                f"PUT /v1/satser/2017 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {MIB}\r\n\r\n"
            ).encode()
        )
        status, _, kropp = _les_svar(s)
    assert status == 413
    assert json.loads(kropp)["detail"] == (
        "Kroppen er større enn grensen på 262144 byte for denne ruten"
    )


def test_batch_under_grensen_tas_imot(server: Server) -> None:
    kropp = b'{"hendelser": []}' + b" " * (3 * MIB)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(_hode(server, f"Content-Length: {len(kropp)}\r\n") + kropp)
        status, _, svar = _les_svar(s)
    assert status == 200, svar
    assert json.loads(svar) == {"mottatt": 0, "nye": 0, "duplikater": 0, "posisjon": 0}
