"""`condense-tui serve`: the TUI in a web browser through textual-serve (the optional `web` extra).

textual-serve starts one app process per browser connection from a shell command line; that line
is `python -m condense_tui` with the flags `serve` was given, so each tab runs the same setup.
"""

from __future__ import annotations

import errno
import inspect
import shlex
import socket
import sys
from typing import Annotated

import typer

NOT_PASSED = frozenset({"host", "port", "public_url", "help"})  # serve's own options, not the app's
INSTALL_HINT = "pip install 'condense-tui[web]'"


def serve_parameters() -> list[inspect.Parameter]:
    """serve's own options (the run flags come from the field table, as for the bare command)."""
    host = Annotated[str, typer.Option("--host", help="Address to listen on; 0.0.0.0 exposes the app to "
                                                      "your network.")]
    port = Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")]
    public = Annotated[str | None, typer.Option(
        "--public-url", metavar="URL", help="The address browsers use, e.g. http://myhost:8000, when it "
                                            "is not --host:--port (the page connects its websocket there).")]
    keyword = inspect.Parameter.KEYWORD_ONLY
    return [inspect.Parameter("host", keyword, default="127.0.0.1", annotation=host),
            inspect.Parameter("port", keyword, default=8000, annotation=port),
            inspect.Parameter("public_url", keyword, default=None, annotation=public)]


class ServeError(Exception):
    """Serving cannot start; the message is one line for `condense-tui: error:`."""


def given_flags(ctx: typer.Context) -> list[str]:
    """The options the user gave `serve` (not its own --host/--port), spelled as app flags."""
    flags: list[str] = []
    for param in ctx.command.params:
        name = param.name
        if name is None or name in NOT_PASSED or not param.opts:
            continue
        source = ctx.get_parameter_source(name)
        if source is None or source.name in ("DEFAULT", "DEFAULT_MAP"):  # typer vendors click's enum
            continue
        value = ctx.params.get(name)
        if value is None:
            continue
        if isinstance(value, bool):
            spelled = param.opts if value else param.secondary_opts  # --x / --no-x
            flags += spelled[:1]
            continue
        flags += [param.opts[0], str(getattr(value, "value", value))]  # a choice flag's value is an Enum
    return flags


def app_command(flags: list[str]) -> str:
    """The shell line textual-serve runs per connection: this interpreter, this package, quoted."""
    return shlex.join([sys.executable, "-m", "condense_tui", *flags])


def check_port(host: str, port: int) -> None:
    """Fail early, in one line, when the address cannot be listened on (aiohttp would raise later,
    after printing its banner)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        raise ServeError(f"cannot resolve --host {host!r}: {err.strerror} (try 127.0.0.1)") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp listens
        try:
            probe.bind(address)
        except OSError as err:
            raise ServeError(_bind_message(host, port, err)) from None


def _bind_message(host: str, port: int, err: OSError) -> str:
    if err.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use (choose another --port)"
    if err.errno == errno.EACCES:
        return f"no permission to listen on port {port} (choose a --port above 1023)"
    return f"cannot listen on {host}:{port}: {err.strerror or err} (check --host and --port)"


def serve(command: str, host: str, port: int, public_url: str | None = None) -> int:
    """Serve `command` on http://host:port until interrupted; returns the exit code."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise ServeError(f"serve needs textual-serve: {INSTALL_HINT}") from None
    check_port(host, port)
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise ServeError(f"--public-url {public_url!r} is not an http(s) URL (e.g. http://myhost:{port})")
    server = Server(command, host=host, port=port, title="condense-tui", public_url=public_url)
    try:
        server.serve()
    except OSError as err:  # lost a race for the port after check_port
        raise ServeError(_bind_message(host, port, err)) from None
    return 0
