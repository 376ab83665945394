"""`statuspage relay` under attack: a real relay process on 127.0.0.1 in front of a fake
GitHub (a real HTTP server on 127.0.0.1). Tokens are checked at start-up and never
printed; every request gets a one-line answer; slow, half-open and malformed
requests are cut at the limits README's Safety section gives."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, suppress

import pytest

from statuspage.alerts.relay import Limits

from .support.alert_sites import alertmanager_body
from .support.inert import printed_dangers
from .support.relay import (
    TOKEN,
    FakeGitHub,
    exchange,
    parse_answer,
    read_answer,
    relay,
    request,
)
from .support.servers import free_port

INBOUND = "inbound0Secret0Word"
SECRETS = ("Relay0Secret", "inbound0Secret")
GOOD = alertmanager_body({}).encode()


def assert_no_secret(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output, output
        for secret in SECRETS:
            assert secret not in output, output


def test_a_token_ending_in_a_newline_is_used_without_it_and_never_printed() -> None:
    """`echo TOKEN > file` leaves a newline; the relay drops one and sends the token. Then
    every failure we can provoke (GitHub refusing, GitHub gone, bodies and framing it
    refuses, callers that vanish) leaves the token out of every output."""
    github = FakeGitHub([204, 401, 500, 500, 500, 500])
    with relay(github, TOKEN + "\n", INBOUND + "\n") as r:
        assert exchange(r.port, request(GOOD, token=INBOUND)) == (202, "sent to octo/status")
        code, said = exchange(r.port, request(GOOD, token=INBOUND))
        assert code == 502 and "HTTP 401" in said
        code, said = exchange(r.port, request(GOOD, token=INBOUND))
        assert code == 502 and "HTTP 500" in said and "gave up after 4 attempts" in said
        assert exchange(r.port, request(GOOD, token=INBOUND + "x"))[0] == 401
        assert (
            exchange(r.port, request(b'{"version": "4", "alerts": 1e400}', token=INBOUND))[0] == 400
        )
        assert exchange(r.port, request(GOOD, token=INBOUND, length="\xb2"))[0] == 400
        assert exchange(r.port, request(GOOD, token=INBOUND)[:-20], end="shut")[0] == 400
        exchange(r.port, request(GOOD, token=INBOUND)[:-20], end="reset")
        github.close()  # GitHub gone
        code, said = exchange(r.port, request(GOOD, token=INBOUND))
        assert code == 502 and "network error" in said
    assert github.requests[0][1]["Authorization"] == f"Bearer {TOKEN}"
    assert len(github.requests) == 6  # 1 taken, 1 refused, 4 tries of the 500
    assert_no_secret(r.stdout, r.stderr)
    assert printed_dangers(r.stderr) == []
    assert r.process.returncode is not None


@pytest.mark.parametrize(
    "variable, value",
    [
        ("GITHUB_TOKEN", "ghp_Relay0Secret0 Token"),
        ("GITHUB_TOKEN", "ghp_Relay0Secret0Token\n\n"),
        ("GITHUB_TOKEN", "ghp_Relay0Secret0Token\r\nX-Injected: 1"),
        ("GITHUB_TOKEN", "\tghp_Relay0Secret0Token"),
        ("GITHUB_TOKEN", "ghp_Relay0Secret0Tökén"),
        ("GITHUB_TOKEN", "ghp_Relay0Secret0\x1b]0;pwned\x07"),
        ("STATUSPAGE_RELAY_TOKEN", "inbound0Secret0Word\n::add-mask::x"),
        ("STATUSPAGE_RELAY_TOKEN", "inbound0Secret0 Word"),
    ],
)
def test_a_token_no_header_can_carry_is_refused_at_start_without_being_printed(
    variable: str, value: str
) -> None:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, variable: value}
    done = subprocess.run(
        [sys.executable, "-m", "statuspage", "relay", "--repo", "octo/status", "--listen",
         f"127.0.0.1:{free_port()}"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"error: {variable} holds "), line
    assert done.stdout == ""
    assert_no_secret(done.stderr)
    assert printed_dangers(done.stderr) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://api.github.com",
        "https://octo:hunter2pw@api.github.com",
        "https://hunter2pw@api.github.com",
        "https://hunter2pw:@api.github.com",
        "https://api.github.com/?hunter2pw",
        "http://127.0.0.1.example.com",
        "https://api.github.com:99999",
        "https://api.github.com/\nhunter2pw",
    ],
)
def test_api_url_must_be_https_without_credentials(url: str) -> None:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    done = subprocess.run(
        [sys.executable, "-m", "statuspage", "relay", "--repo", "octo/status", "--listen",
         f"127.0.0.1:{free_port()}", "--api-url", url],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("error: --api-url "), line
    assert "hunter2pw" not in done.stderr + done.stdout


DEEP = b'{"version": "4", "alerts": [], "x": ' + b"[" * 990 + b"]" * 990 + b"}"
BAD = [
    # (what is sent, status, words of the reason)
    (request(GOOD, length="\xb2"), 400, "Content-Length"),  # ², which str.isdigit() takes
    (request(GOOD, length="1\xb9"), 400, "Content-Length"),
    (request(GOOD, length=f"+{len(GOOD)}"), 400, "Content-Length"),
    (request(GOOD, length="0x10"), 400, "Content-Length"),
    (request(GOOD, headers="Content-Length: 5\r\n"), 400, "sent twice"),
    (request(GOOD, headers="Transfer-Encoding: chunked\r\n"), 411, "Content-Length"),
    (request(GOOD).replace(b"Content-Length", b"X-Length"), 411, "Content-Length"),
    (request(b"", length="2000000"), 413, "1,000,000"),
    (request(GOOD).replace(b"POST", b"GET", 1), 405, "POST"),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, "request line"),
    (b"POST /\x1b[2J HTTP/1.1\r\nno colon here\r\n\r\n", 400, "Name: value"),
    (request(GOOD, headers="X-Pad: " + "a" * 20_000 + "\r\n"), 431, "16,384"),
    (request(b'{"version": "4", "alerts": [], "x": 1e400}'), 400, "infinity"),
    (request(b'{"version": "4", "alerts": [], "x": [-1E999]}'), 400, "infinity"),
    (request(b'{"version": "4", "alerts": [], "x": NaN}'), 400, "not JSON"),
    (
        request(b'{"version": "4", "alerts": [], "x": ' + b"[" * 40 + b"]" * 40 + b"}"),
        400,
        "nested",
    ),
    (request(DEEP), 400, "nested"),
    (request(b'{"version": "4", "alerts": [], "x": "\\ud800"}'), 400, "surrogate"),
    (request(b'{"version": "4", "alerts": [], "\\udfff": 1}'), 400, "surrogate"),
]


def test_odd_framing_and_bodies_github_would_refuse_get_a_one_line_4xx() -> None:
    github = FakeGitHub()
    try:
        with relay(github) as r:
            for sent, code, words in BAD:
                got, said = exchange(r.port, sent)
                assert (got, words in said) == (code, True), (sent[:80], got, said)
            assert exchange(r.port, request(GOOD)) == (202, "sent to octo/status")
    finally:
        github.close()
    assert len(github.requests) == 1  # only the good one
    json.loads(github.requests[0][2])
    assert_no_secret(r.stderr)
    assert printed_dangers(r.stderr) == []
    assert len(r.stderr.splitlines()) == len(BAD) + 2  # the start line, one per request


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_peer_dribbling_a_byte_at_a_time_is_cut_at_the_deadline(where: str) -> None:
    """A byte every 0.25 s never trips a per-read timeout; the whole request's does."""
    github = FakeGitHub()
    deadline = Limits().request_seconds
    sent = request(GOOD) if where == "body" else b"POST / HTTP/1.1\r\nX-Pad: " + b"a" * 500
    start = sent.index(b"\r\n\r\n") + 4 if where == "body" else 16
    try:
        with relay(github) as r, socket.create_connection(("127.0.0.1", r.port)) as sock:
            began = time.monotonic()
            sock.sendall(sent[:start])
            answer = b""
            for byte in sent[start : start + 200]:  # at most 50 s: bounded either way
                readable, _, _ = select.select([sock], [], [], 0.25)
                if readable:
                    answer = read_answer(sock)
                    break
                sock.sendall(bytes([byte]))
            took = time.monotonic() - began
    finally:
        github.close()
    assert parse_answer(answer) == (408, f"the request took more than {deadline:g} s")
    assert took < deadline + 5
    assert github.requests == []


def test_hundreds_of_half_open_connections_hold_at_most_the_limit_and_are_cut() -> None:
    """300 callers that stop mid-request hold at most `connections` threads; a good
    request meanwhile is answered at once (503, retry), and taken once the
    deadline has cut them."""
    github = FakeGitHub()
    limits = Limits()
    try:
        with relay(github) as r, ExitStack() as stack:
            held = []
            for _ in range(300):
                sock = stack.enter_context(socket.create_connection(("127.0.0.1", r.port)))
                sock.sendall(b"POST / HTTP/1.1\r\nContent-Length: 100\r\n")
                held.append(sock)
            began = time.monotonic()
            code, said = exchange(r.port, request(GOOD))
            assert (code, said) in ((503, f"busy: {limits.connections} connections are open; try again"),
                                    (202, "sent to octo/status"))  # fmt: skip
            assert r.threads() <= limits.connections + 4
            # Every one is answered (408, or 503 at once) and closed by the relay.
            waiting = list(held)
            while waiting and time.monotonic() < began + limits.request_seconds + 10:
                readable, _, _ = select.select(waiting, [], [], 1)
                for sock in readable:
                    # A reset: refused before its bytes came, which then met a closed socket.
                    with suppress(ConnectionResetError):
                        assert parse_answer(read_answer(sock))[0] in (408, 503)
                    sock.close()  # as a caller does once answered: the relay stops waiting
                    waiting.remove(sock)
            assert waiting == [], f"{len(waiting)} connections still held"
            assert time.monotonic() - began < limits.request_seconds + 5
            assert exchange(r.port, request(GOOD)) == (202, "sent to octo/status")
    finally:
        github.close()
    assert len(github.requests) in (1, 2)
    assert printed_dangers(r.stderr) == []
