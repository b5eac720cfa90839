"""The API calls bench/pdf.py and bench/zip.py share (standard library only): JSON requests, and
signing in as the people a `ksbfolio demo seed` printed."""
import json
import urllib.request

PASSWORD = "ksbfolio-demo-password"


def call(base, method, path, token=None, body=None, raw=False, content_type="application/json"):
    """One request; `body` is JSON unless it is bytes (sent as `content_type`)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=600) as response:
        payload = response.read()
    return payload if raw else (json.loads(payload) if payload else None)


def sign_in(base, email):
    return call(base, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD})["access_token"]


def emails(seed_output):
    """The demo sign-ins the seed printed: role -> e-mail."""
    found = {}
    for line in open(seed_output):
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("admin", "tutor", "mentor", "apprentice") and "@" in parts[1]:
            found[parts[0]] = parts[1]
    return found


def demo_portfolio(base, seed_output):
    """Signs in as the demo apprentice and tutor: (apprentice token, tutor token, the
    apprentice's first apprenticeship)."""
    people = emails(seed_output)
    apprentice = sign_in(base, people["apprentice"])
    tutor = sign_in(base, people["tutor"])
    mine = call(base, "GET", "/api/v1/apprenticeships?limit=1", apprentice)["items"][0]
    return apprentice, tutor, mine
