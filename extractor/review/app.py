"""`jixiao review`: the review page as a local web app where the auditor records decisions.

A WSGI application served by the standard library's wsgiref on 127.0.0.1 only: one auditor, one browser,
a handful of routes, so no web framework is worth a dependency. There is no login; instead every URL
starts with a random token (secrets.token_urlsafe) that only the URL opened in the browser carries, and a
request with another token gets 403. A Host header other than 127.0.0.1/localhost at the server's port is
refused (403) so that a web page cannot reach the app by DNS rebinding, and decisions are accepted only as
JSON from the app's own origin. The database is opened per request and closed again, so a batch can rerun
into it while the app is open; reloading the page shows the new findings with the decisions kept.

Routes under /TOKEN/: `` (the page, data embedded), `evidence/DOC/SEQ/PAGE` (a finding's page image, WebP),
`decisions` (POST {doc_id, seq, status, note}).
"""

from __future__ import annotations

import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import duckdb

from ..config import Config
from ..errors import UsageError
from ..report.evidence import PdfEvidence, document_files, marks_for, openable
from ..report.html import fill_page, report_data
from ..store.duckdb import Store
from ..store.reviews import STATUS_NAMES, decision_json, record_decision, reviewer_name

HOST = "127.0.0.1"
MAX_BODY = 64 * 1024  # a decision with its note is a few hundred bytes
CACHED_IMAGES = 256
SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("Referrer-Policy", "no-referrer"),  # the token stays out of any Referer
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
]

StartResponse = Callable[..., Any]


@dataclass
class ReviewApp:
    """The WSGI application over database `db`; `port` is set once the server is bound."""

    db: Path
    config: Config
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    reviewer: str = field(default_factory=reviewer_name)
    port: int = 0
    _images: OrderedDict[tuple[str, int, int], bytes] = field(default_factory=OrderedDict)
    _shown: dict[str, Any] = field(default_factory=dict)  # the data of the page last served: what images are of
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/{self.token}/"

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status, headers, body = self.respond(environ)
        start_response(status, headers + SECURITY_HEADERS + [("Content-Length", str(len(body)))])
        return [body]

    # ------------------------------------------------------------ routing

    def respond(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        if not self._host_allowed(environ.get("HTTP_HOST", "")):
            return _text("403 Forbidden", "this review app answers on 127.0.0.1 only")
        parts = environ.get("PATH_INFO", "").split("/")
        if len(parts) < 3 or not secrets.compare_digest(parts[1].encode(), self.token.encode()):
            return _text("403 Forbidden", "wrong or missing token: open the URL jixiao review printed")
        try:
            return self.route(parts[2:], environ)
        except (duckdb.IOException, UsageError):  # a batch holds the database's write lock (the store says so)
            return _text("503 Service Unavailable", "the database is busy (a batch is writing it): try again shortly")

    def route(self, route: list[str], environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        with self._lock:  # one DuckDB connection at a time, and the image cache
            if route == [""] and method in ("GET", "HEAD"):
                return _html(self.page())
            if (
                len(route) == 4
                and route[0] == "evidence"
                and route[2].isdigit()
                and route[3].isdigit()
                and method == "GET"
            ):
                image = self.evidence(route[1], int(route[2]), int(route[3]))
                return (
                    ("200 OK", [("Content-Type", "image/webp")], image) if image else _text("404 Not Found", "no image")
                )
            if route == ["decisions"] and method == "POST":
                return self.decide(environ)
        return _text("404 Not Found", "no such page")

    def _host_allowed(self, host: str) -> bool:
        return host in {f"{HOST}:{self.port}", f"localhost:{self.port}"}

    # ------------------------------------------------------------ pages

    def page(self) -> str:
        with Store(self.db, self.config) as store:  # read-write: creates the reviews table in an older database
            data = report_data(self.config, store, images=False)
        pdf_docs = {d["doc_id"] for d in data["documents"] if d["format"] == "pdf"}
        facts, blocks = _indexes(data)
        for finding in data["findings"]:
            # the pages an image can show: where the figures (or the finding's text) stand
            marks = marks_for(finding, facts, blocks) if finding["doc_id"] in pdf_docs else []
            finding["image_pages"] = sorted({mark.page for mark in marks})
        self._shown = data
        self._images.clear()  # a rerun batch may have changed what a (doc, seq) is
        data = data | {"reviewer": self.reviewer}
        data["statuses"] = STATUS_NAMES
        return fill_page(files(__package__).joinpath("page.html").read_text(encoding="utf-8"), data)

    def evidence(self, doc_id: str, seq: int, page: int) -> bytes | None:
        """The image of one page of a finding, rendered when first asked for."""
        if (doc_id, seq, page) in self._images:
            self._images.move_to_end((doc_id, seq, page))
            return self._images[(doc_id, seq, page)]
        data = self._shown
        finding = next((f for f in data.get("findings", []) if f["doc_id"] == doc_id and f["seq"] == seq), None)
        if finding is None:
            return None
        with Store(self.db, self.config, read_only=True) as store:
            path = openable(document_files(store).get(doc_id, []))
        if path is None:
            return None
        marks = [mark for mark in marks_for(finding, *_indexes(data)) if mark.page == page]
        with PdfEvidence() as renderer:
            images = renderer.render(path, marks) if marks else []
        if not images:
            return None
        self._images[(doc_id, seq, page)] = images[0].image
        if len(self._images) > CACHED_IMAGES:
            self._images.popitem(last=False)
        return images[0].image

    def decide(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        if environ.get("CONTENT_TYPE", "").split(";")[0].strip() != "application/json":
            return _text("415 Unsupported Media Type", "decisions are JSON")
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin not in {f"http://{HOST}:{self.port}", f"http://localhost:{self.port}"}:
            return _text("403 Forbidden", "decisions come from the review page only")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if not 0 < length <= MAX_BODY:
                raise ValueError("body size")
            body = json.loads(environ["wsgi.input"].read(length))
            doc_id, seq, status = str(body["doc_id"]), int(body["seq"]), str(body["status"])
            note = str(body.get("note") or "")
        except (ValueError, KeyError, TypeError):
            return _text("400 Bad Request", "expected {doc_id, seq, status, note}")
        try:
            with Store(self.db, self.config) as store:
                row = record_decision(store, doc_id, seq, status, note, self.reviewer)
        except ValueError as error:
            return _text("400 Bad Request", str(error))
        payload = json.dumps(decision_json(row), ensure_ascii=False).encode("utf-8")
        return "200 OK", [("Content-Type", "application/json; charset=utf-8")], payload


def _indexes(data: dict[str, Any]) -> tuple[dict[tuple[str, str], dict], dict[tuple[str, int], dict]]:
    """The figures and blocks of the page data, by (doc, id) and (doc, block)."""
    facts = {(f["doc_id"], f["id"]): f for f in data["facts"]}
    blocks = {(b["doc_id"], b["block"]): b for b in data["blocks"]}
    return facts, blocks


def _text(status: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    return status, [("Content-Type", "text/plain; charset=utf-8")], (message + "\n").encode("utf-8")


def _html(page: str) -> tuple[str, list[tuple[str, str]], bytes]:
    return "200 OK", [("Content-Type", "text/html; charset=utf-8")], page.encode("utf-8")


class _Server(ThreadingMixIn, WSGIServer):
    """A thread per connection: a browser's idle preconnected socket must not stall the others."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # the terminal shows the URL, not every request
        pass


def make_review_server(config: Config, db: str | Path, port: int = 0) -> tuple[WSGIServer, ReviewApp]:
    """A server bound to 127.0.0.1:`port` (0: a free one) and its app; call serve_forever() to run it."""
    db = Path(db)
    Store(db, config, read_only=True).close()  # a missing or unreadable database fails here, as one line
    app = ReviewApp(db, config)
    server = make_server(HOST, port, app, server_class=_Server, handler_class=_QuietHandler)
    app.port = server.server_port
    return server, app
