"""Auth: Basic, hidden Basic, Bearer and Digest, each 401 with the challenge to answer (RFC 9110 §11.6.1).

The Digest answers are computed here from RFC 7616 §3.4.1 (response = H(H(A1):nonce:nc:cnonce:qop:H(A2)),
A2 with H(body) for auth-int), the way a client would, never by asking the service.
"""

import base64
import hashlib
import re
from collections.abc import Callable

import httpx
import pytest
from helpers import assert_problem

pytestmark = pytest.mark.both_protocols

EVERY = ["GET", "POST", "PUT", "PATCH", "DELETE"]
HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-512": hashlib.sha512}
DIGEST_PATHS = [
    "/digest-auth/auth/user/passwd",
    "/digest-auth/auth/user/passwd/SHA-256",
    "/digest-auth/auth-int/user/passwd/SHA-512/never",
]
LIMIT = 1024 * 1024


def basic(user: str, passwd: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{passwd}".encode()).decode()}


def challenge(response: httpx.Response) -> dict[str, str]:
    """The auth-params of a Digest challenge (quoted or token values)."""
    assert response.status_code == 401
    header = response.headers["www-authenticate"]
    assert header.startswith("Digest ")
    return {k: quoted or token for k, quoted, token in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]+))', header)}


def digest(chal: dict[str, str], method: str, uri: str, passwd: str, body: bytes = b"", nc: int = 1) -> str:
    """The Authorization a client sends for user `user` (RFC 7616 §3.4)."""
    algorithm, qop = chal["algorithm"], chal["qop"]

    def h(data: bytes) -> str:
        return HASHES[algorithm](data).hexdigest()

    ha1 = h(f"user:{chal['realm']}:{passwd}".encode())
    a2 = f"{method}:{uri}" + (f":{h(body)}" if qop == "auth-int" else "")
    count, cnonce = f"{nc:08x}", "0a4f113b"
    response = h(f"{ha1}:{chal['nonce']}:{count}:{cnonce}:{qop}:{h(a2.encode())}".encode())
    return (
        f'Digest username="user", realm="{chal["realm"]}", nonce="{chal["nonce"]}", uri="{uri}", '
        f'algorithm={algorithm}, qop={qop}, nc={count}, cnonce="{cnonce}", response="{response}", '
        f'opaque="{chal["opaque"]}"'
    )


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (basic("user", "passwd"), 200),
        (basic("user", "wrong"), 401),
        (basic("other", "passwd"), 401),
        ({"Authorization": "Bearer user"}, 401),
        ({}, 401),
    ],
)
def test_basic_auth(client: httpx.Client, method: str, headers: dict[str, str], status: int) -> None:
    response = client.request(method, "/basic-auth/user/passwd", headers=headers)
    if status == 200:
        assert response.status_code == 200
        assert response.json() == {"authenticated": True, "user": "user"}
    else:
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith('Basic realm="')


def test_basic_auth_takes_utf8_credentials(client: httpx.Client) -> None:
    response = client.get("/basic-auth/j%C3%BCrgen/p%C3%A4ss", headers=basic("jürgen", "päss"))
    assert response.json() == {"authenticated": True, "user": "jürgen"}


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(("headers", "status"), [(basic("u", "p"), 200), (basic("u", "x"), 404), ({}, 404)])
def test_hidden_basic_auth_is_404_without_a_challenge(
    client: httpx.Client, method: str, headers: dict[str, str], status: int
) -> None:
    response = client.request(method, "/hidden-basic-auth/u/p", headers=headers)
    assert response.status_code == status
    assert "www-authenticate" not in response.headers
    if status == 200:
        assert response.json() == {"authenticated": True, "user": "u"}


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(
    ("authorization", "token"),
    [
        ("Bearer abc.def-123", "abc.def-123"),
        ("Bearer", None),
        ("bearer abc", None),
        ("Basic dTpw", None),
        ("", None),
    ],
)
def test_bearer(client: httpx.Client, method: str, authorization: str, token: str | None) -> None:
    response = client.request(
        method, "/bearer", headers={"Authorization": authorization} if authorization else {}
    )
    if token:
        assert response.json() == {"authenticated": True, "token": token}
    else:
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize("path", DIGEST_PATHS)
def test_digest_challenge_then_success(client: httpx.Client, method: str, path: str) -> None:
    first = client.request(method, path + "?x=1")
    assert_problem(first, 401)
    chal = challenge(first)
    assert chal["realm"]
    assert chal["qop"] == path.split("/")[2]
    assert chal["algorithm"] == (path.split("/")[5] if path.count("/") > 4 else "MD5")
    assert "stale" not in chal
    body = b"the body" if method != "GET" else b""
    authorization = digest(chal, method, path + "?x=1", "passwd", body)
    second = client.request(method, path + "?x=1", content=body, headers={"Authorization": authorization})
    assert second.status_code == 200
    assert second.json() == {"authenticated": True, "user": "user"}
    # httpbin's cookie, which client suites expect their jar to keep: scoped to /digest-auth.
    assert second.headers["set-cookie"].startswith("fake=fake_value;")
    assert "Path=/digest-auth" in second.headers["set-cookie"]


@pytest.mark.parametrize(
    ("passwd", "uri", "body"),
    [
        pytest.param("wrong", None, b"", id="wrong-password"),
        pytest.param("passwd", "/digest-auth/auth-int/user/passwd/MD5/elsewhere", b"", id="other-uri"),
        pytest.param("passwd", None, b"another body", id="auth-int-body-changed"),
    ],
)
def test_digest_wrong_answers_get_a_new_challenge(
    client: httpx.Client, passwd: str, uri: str | None, body: bytes
) -> None:
    path = "/digest-auth/auth-int/user/passwd/MD5"
    chal = challenge(client.post(path))
    authorization = digest(chal, "POST", uri or path, passwd, b"the body")
    response = client.post(path, content=body or b"the body", headers={"Authorization": authorization})
    assert "stale" not in challenge(response)


def test_httpx_digest_auth_passes(client: httpx.Client) -> None:
    for path in ("/digest-auth/auth/user/passwd", "/digest-auth/auth/user/passwd/SHA-256"):
        assert client.get(path, auth=httpx.DigestAuth("user", "passwd")).status_code == 200
        assert client.get(path, auth=httpx.DigestAuth("user", "nope")).status_code == 401


def test_a_nonce_used_past_stale_after_is_stale(client: httpx.Client) -> None:
    path = "/digest-auth/auth/user/passwd/MD5/2"
    chal = challenge(client.get(path))
    for nc in (1, 2):
        assert (
            client.get(
                path, headers={"Authorization": digest(chal, "GET", path, "passwd", nc=nc)}
            ).status_code
            == 200
        )
    stale = challenge(client.get(path, headers={"Authorization": digest(chal, "GET", path, "passwd", nc=3)}))
    assert stale["stale"].upper() == "TRUE"
    assert stale["nonce"] != chal["nonce"]
    fresh = digest(stale, "GET", path, "passwd", nc=1)
    assert client.get(path, headers={"Authorization": fresh}).status_code == 200


@pytest.mark.parametrize(
    "change", [lambda n: "0" + n, lambda n: n[:-1] + ("0" if n[-1] != "0" else "1"), lambda n: "1.2.3"]
)
def test_a_nonce_not_minted_here_is_stale(client: httpx.Client, change: Callable[[str], str]) -> None:
    path = "/digest-auth/auth/user/passwd"
    chal = challenge(client.get(path))
    forged = {**chal, "nonce": change(chal["nonce"])}
    response = client.get(path, headers={"Authorization": digest(forged, "GET", path, "passwd")})
    assert challenge(response)["stale"].upper() == "TRUE"


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/digest-auth/auth-conf/u/p", "qop"),
        ("/digest-auth/auth/u/p/SHA-1", "algorithm"),
        ("/digest-auth/auth/u/p/MD5/soon", "stale_after"),
        ("/digest-auth/auth/u/p/MD5/1001", "stale_after"),
    ],
)
def test_bad_digest_options_are_400(client: httpx.Client, method: str, path: str, parameter: str) -> None:
    body = assert_problem(client.request(method, path), 400)
    assert body["parameter"] == parameter
    assert parameter in body["detail"]


@pytest.mark.parametrize("method", EVERY)
@pytest.mark.parametrize(
    ("path", "algorithm"),
    [
        ("/digest-auth/auth-int/u/p", "MD5"),
        ("/digest-auth/auth-int/u/p/SHA-256", "SHA-256"),
        ("/digest-auth/auth-int/u/p/MD5/never", "MD5"),
    ],
)
def test_an_auth_int_body_over_the_limit_is_413(
    make_client: Callable[..., httpx.Client], method: str, path: str, algorithm: str
) -> None:
    # The body is read (and hashed) only for an auth-int answer that names this user, realm and URI.
    # HTTP/1.1 only, as test_echo's 413 test says why.
    with make_client() as once:
        realm = challenge(once.get(path))["realm"]
        authorization = (
            f'Digest username="u", realm="{realm}", nonce="n", uri="{path}", algorithm={algorithm}, '
            'qop=auth-int, nc=00000001, cnonce="c", response="x"'
        )
        response = once.request(
            method, path, content=b"x" * (LIMIT + 1), headers={"Authorization": authorization}
        )
    assert_problem(response, 413)
