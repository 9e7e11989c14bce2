"""A published copy served by Datasette: the hidden name and raw notes cannot be fetched
through table pages, SQL or the JSON API, and full-text search still finds the answer."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from support.publish_world import HIDDEN, PHOTO, RAW, TITLE, leak_forms, world

from voc_desktop.services.archive.publish import metadata_path_for, publish


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def served(archive, make_bundle, tmp_path):
    archive.import_bundles([make_bundle(world(), attachments=(PHOTO,))])
    out = tmp_path / "voc.db"
    publish(archive, out, with_photos=True)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(out), "--metadata",
         str(metadata_path_for(out)), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(base + "/-/versions.json")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"Datasette did not start: {server.stderr.read()!r}")
            time.sleep(0.2)
        yield base
    finally:
        server.kill()
        server.wait(10)
        server.stderr.close()


def _clean(body: bytes) -> bool:
    text = body.decode("utf-8", "replace")
    decoded = urllib.parse.unquote(text)
    return not any(form.decode() in t for form in leak_forms() for t in (text, decoded))


def test_nothing_personal_can_be_fetched_but_search_works(served):
    """Every table page, its JSON, SQL queries and the metadata pages hold no hidden name,
    title or raw note; SQL is refused; searching the findings finds the masked answer."""
    base = served
    status, body = _get(base + "/voc.json")
    assert status == 200
    tables = [t["name"] for t in json.loads(body)["tables"]]
    assert "findings" in tables and "contacts" not in tables and "entries" not in tables
    urls = ["/", "/voc", "/-/metadata.json", "/-/databases.json", "/voc.db"]
    for table in tables:
        urls += [f"/voc/{table}", f"/voc/{table}.json?_shape=array&_size=max",
                 f"/voc/{table}.csv?_size=max"]
    for url in urls:
        status, body = _get(base + url)
        assert _clean(body), url
    for url in ["/voc/findings_fts.json", "/voc/findings_fts_data.json"]:
        assert _get(base + url)[0] == 403, url
    for sql in ["select name from sqlite_master",
                f"select '{HIDDEN}'", "select * from findings"]:
        for page in ["/voc.json", "/voc"]:
            status, body = _get(base + page + "?" + urllib.parse.urlencode({"sql": sql}))
            assert status in (400, 403), (page, sql, status)
            assert HIDDEN.encode() not in body
    status, body = _get(base + "/voc/findings.json?_shape=array&_search=oven")
    assert status == 200
    found = [row["text"] for row in json.loads(body)]
    assert "[Influencer] restarts the oven by hand every night." in found
    status, body = _get(base + "/voc/findings.json?_shape=array&" +
                        urllib.parse.urlencode({"_search": HIDDEN.split()[0]}))
    assert status == 200 and json.loads(body) == []
    assert RAW not in body.decode() and TITLE not in body.decode()
