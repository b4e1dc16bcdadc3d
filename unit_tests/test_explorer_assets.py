"""static/run/: a file the image keeps gzipped only goes as it is to a client that takes gzip, unzipped
to one that does not (service/explorer/assets.py); in-process, against a folder made here."""

import gzip
from pathlib import Path
from typing import Any

import pytest

from service.app import create_app
from service.explorer import assets

WASM = b"\0asm\1\0\0\0" + bytes(range(256)) * 64


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "core.wasm.gz").write_bytes(gzip.compress(WASM, mtime=0))
    (tmp_path / "run" / "worker.js").write_text("self.onmessage = () => {};\n")
    monkeypatch.setattr(assets, "STATIC", tmp_path)
    return create_app().test_client()


def _get(client: Any, path: str, accept: str) -> Any:
    """The answer, its body read and its file closed (send_file keeps it open until then)."""
    response = client.get(path, headers={"Accept-Encoding": accept})
    response.get_data()
    response.close()
    return response


def test_a_gzipped_file_goes_as_it_is_to_a_client_that_takes_gzip(client: Any) -> None:
    response = _get(client, "/static/run/core.wasm", "gzip, deflate")
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.mimetype == "application/wasm"  # so the browser compiles it as it streams
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.get_data()) == WASM


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0", ""])
def test_unzipped_on_the_way_to_a_client_that_does_not(client: Any, accept: str) -> None:
    response = _get(client, "/static/run/core.wasm", accept)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.mimetype == "application/wasm"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.get_data() == WASM


def test_a_file_kept_whole_goes_whole(client: Any) -> None:
    response = _get(client, "/static/run/worker.js", "gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == b"self.onmessage = () => {};\n"


@pytest.mark.parametrize("name", ["run/missing.wasm", "run/../../app.py", "run/%2e%2e/x"])
def test_nothing_else_is_served(client: Any, name: str) -> None:
    assert _get(client, f"/static/{name}", "gzip").status_code == 404
