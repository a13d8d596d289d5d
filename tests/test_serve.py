"""`condense-tui serve`: a real server process answered by a local HTTP and websocket client."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time

import pytest
from clihelp import assert_one_line_error, invoke
from typer.testing import CliRunner

from condense_tui import serve as web
from condense_tui.cli import app

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
START_WAIT = 30.0  # seconds for the server to listen (a loaded 2-core machine)
APP_WAIT = 90.0  # seconds for the served app to draw `step N` (it imports the engine first)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _flags_for(*args: str) -> list[str]:
    """What `serve` passes on to the app for these command-line arguments."""
    seen: list[list[str]] = []

    def fake_serve(command: str, host: str, port: int, public_url: str | None) -> int:
        seen.append(command)
        return 0

    original = web.serve
    web.serve = fake_serve
    try:
        result = CliRunner().invoke(app, ["serve", *args])
    finally:
        web.serve = original
    assert result.exit_code == 0, result.output
    return shlex.split(seen[-1])


def test_serve_passes_the_given_flags_and_nothing_else():
    argv = _flags_for("--port", "8123", "--host", "127.0.0.2", "--public-url", "http://h:1",
                      "-p", "fig2-tanh", "--lr", "0.002", "--no-residual", "--paused",
                      "--fps", "2")
    assert argv[:3] == [sys.executable, "-m", "condense_tui"]
    flags = argv[3:]
    assert sorted(flags) == sorted(["--preset", "fig2-tanh", "--lr", "0.002", "--no-residual", "--paused",
                                    "--fps", "2.0"])
    for flag, value in (("--preset", "fig2-tanh"), ("--lr", "0.002"), ("--fps", "2.0")):
        assert flags[flags.index(flag) + 1] == value
    assert _flags_for()[3:] == []


def test_serve_passes_choice_flags_as_their_names():
    flags = _flags_for("--optimizer", "gd", "--marker", "braille")[3:]
    assert sorted(flags) == sorted(["--optimizer", "gd", "--marker", "braille"])  # not Optimizer.gd


def test_serve_quotes_a_preset_path_with_spaces(tmp_path):
    preset = tmp_path / "my run; rm -rf x.toml"
    preset.write_text('name = "odd"\nactivation = "tanh"\n')
    argv = _flags_for("--preset", str(preset))
    assert argv[3:] == ["--preset", str(preset)]


def test_serve_refuses_bad_flags_before_listening():
    assert_one_line_error(invoke("serve", "--lr", "-1"), "lr")
    assert_one_line_error(invoke("serve", "--no-tui"), "--no-tui")


def test_serve_without_the_extra_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    result = invoke("serve", "--port", str(_free_port()))
    assert_one_line_error(result, "serve needs textual-serve: pip install 'condense-tui[web]'")


def test_serve_refuses_a_public_url_that_is_not_http():
    pytest.importorskip("textual_serve", reason="the web extra (textual-serve) is not installed")
    assert_one_line_error(invoke("serve", "--port", str(_free_port()), "--public-url", "myhost:8000"),
                          "--public-url", "http://")


def test_serve_on_a_port_in_use_is_one_line():
    pytest.importorskip("textual_serve", reason="the web extra (textual-serve) is not installed")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = invoke("serve", "--port", str(busy.getsockname()[1]))
    assert_one_line_error(result, "is in use", "--port")


async def _session(port: int) -> tuple[str, str, bool]:
    """Fetch the page, open its websocket, read frames until `step N` shows, then press q.
    Returns (page, the app's text, whether the app closed the socket after q)."""
    import aiohttp

    deadline = time.monotonic() + APP_WAIT
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/", timeout=aiohttp.ClientTimeout(total=20)) as page:
            assert page.status == 200
            html = await page.text()
        url = re.search(r'data-session-websocket-url="([^"]+)"', html)
        assert url is not None, html[:500]
        text = ""
        async with http.ws_connect(f"{url.group(1)}?width=80&height=24") as socket_:
            while not re.search(r"step \d+", text):
                left = deadline - time.monotonic()
                assert left > 0, f"no `step N` from the served app; saw {text[-500:]!r}"
                message = await socket_.receive(timeout=left)
                if message.type == aiohttp.WSMsgType.BINARY:
                    text += ANSI.sub("", message.data.decode("utf-8", "replace"))
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    pytest.fail(f"the app closed early; saw {text[-500:]!r}")
            await socket_.send_str(json.dumps(["stdin", "q"]))
            closed = False
            while time.monotonic() < deadline:
                message = await socket_.receive(timeout=max(deadline - time.monotonic(), 0.1))
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                    aiohttp.WSMsgType.CLOSING):
                    closed = True
                    break
    return html, text, closed


def _wait_listening(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()[1].decode(errors="replace")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("the server did not listen in time")


@pytest.mark.slow
def test_serve_answers_a_local_websocket_client_with_the_app():
    pytest.importorskip("textual_serve", reason="the web extra (textual-serve) is not installed")
    pytest.importorskip("aiohttp", reason="aiohttp comes with textual-serve")
    port = _free_port()
    env = {**os.environ, "NO_COLOR": ""}
    server = subprocess.Popen([sys.executable, "-m", "condense_tui", "serve", "--port", str(port),
                               "--preset", "fig6-tanh", "--paused"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                              start_new_session=True)
    try:
        _wait_listening(port, server)
        html, text, closed = asyncio.run(_session(port))
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
    assert "condense-tui" in html
    assert "fig6-tanh" in text and re.search(r"step \d+", text)
    assert closed, "the app did not end after q"
    assert server.returncode == 0, server.stderr.read().decode(errors="replace") if server.stderr else ""
