"""Headless Chromium for the browser tests, driven over the DevTools protocol (websocket-client).

`chromium_page(tmp)` starts a headless Chromium with a fresh profile and yields a `DevTools` attached to its
page; the browser is terminated afterwards. Tests that need it skip when /usr/bin/chromium is missing,
unless JIXIAO_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class DevTools:
    """Just enough of the Chrome DevTools protocol: commands, and the events seen meanwhile."""

    def __init__(self, url: str):
        import websocket

        self.socket = websocket.create_connection(url, timeout=20, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        message_id = next(self.ids)
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 20) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(json.loads(self.socket.recv()))
        raise TimeoutError(method)

    def navigate(self, url: str) -> None:
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def press(self, key: str) -> None:
        """A key press as a user makes it (keydown with its text, keyup)."""
        text = key if len(key) == 1 else ""
        code = {"Escape": 27}.get(key, ord(key.upper()) if len(key) == 1 else 0)
        self.call("Input.dispatchKeyEvent", type="keyDown", key=key, text=text, windowsVirtualKeyCode=code)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key, windowsVirtualKeyCode=code)

    def screenshot(self, **params) -> bytes:
        import base64

        return base64.b64decode(self.call("Page.captureScreenshot", format="png", **params)["data"])

    def console_errors(self) -> list[dict]:
        return [
            e
            for e in self.events
            if e.get("method") == "Runtime.exceptionThrown"
            or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
            or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
        ]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("JIXIAO_REQUIRE_BROWSER") == "1":
            pytest.fail("JIXIAO_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install -y chromium)")
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium to run the browser tests")
    pytest.importorskip("websocket", reason="websocket-client is a test dependency: pip install -e .[test]")


@contextmanager
def chromium_page(profile: Path, domains: tuple[str, ...] = ("Page", "Runtime", "Log")) -> Iterator[DevTools]:
    require_chromium()
    process = subprocess.Popen(
        [
            str(CHROMIUM),
            *FLAGS,
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "--window-size=1280,1400",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert time.monotonic() < deadline and process.poll() is None, "Chromium did not start"
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            target = next(t for t in json.load(response) if t["type"] == "page")
        tools = DevTools(target["webSocketDebuggerUrl"])
        for domain in domains:
            tools.call(f"{domain}.enable")
        try:
            yield tools
        finally:
            tools.socket.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
