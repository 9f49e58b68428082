"""LibreOffice runs without network: a private network namespace where the system allows one
(proved here with a real fetch from a server on this machine), and a throw-away profile with
remote content, link updates and macros off."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from pathlib import Path

from extractor.batch.convert import no_network_prefix, sandboxed, write_profile

FETCH = "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=3); print('fetched')"


class Counting(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:  # noqa: N802
        Counting.hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"image")

    def log_message(self, *_: object) -> None:
        pass


def test_the_converter_command_cannot_reach_a_server_on_this_machine() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/linked.png"
    try:
        direct = subprocess.run([sys.executable, "-c", FETCH, url], capture_output=True, text=True, timeout=30)
        assert direct.stdout.strip() == "fetched" and Counting.hits == 1  # the server is reachable...
        assert no_network_prefix(), "no private network namespace on this system (unshare -n / -rn)"
        boxed = subprocess.run(sandboxed([sys.executable, "-c", FETCH, url]), capture_output=True, text=True,
                               timeout=30)
        assert boxed.returncode != 0 and "fetched" not in boxed.stdout  # ...but not from the sandbox
        assert Counting.hits == 1
    finally:
        server.shutdown()


def test_the_throw_away_profile_switches_remote_content_and_macros_off(tmp_path: Path) -> None:
    write_profile(tmp_path / "profile")
    xcu = (tmp_path / "profile" / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    for name, value in (("BlockUntrustedRefererLinks", "true"), ("DisableMacrosExecution", "true"),
                        ("MacroSecurityLevel", "3"), ("Link", "2")):
        assert f'oor:name="{name}" oor:op="fuse"><value>{value}</value>' in xcu
    import xml.etree.ElementTree as ET

    ET.fromstring(xcu)  # well-formed
