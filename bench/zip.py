#!/usr/bin/env python3
"""The whole-portfolio download's memory benchmark (run by bench/zip.sh, standard library only).

Signs in as the demo apprentice and tutor of apprenticeship 1 of a `ksbfolio demo seed`, adds
accepted evidence items with one 24 MiB attachment each (random bytes behind a PNG header, so
nothing compresses them away) until the attachments reach --gib GiB, resets the server's peak
resident memory (/proc/PID/clear_refs), downloads GET portfolio.zip once, reading it in 1 MiB
pieces, and prints one JSON line: the bytes received, the time, the server's resident memory
before and its peak during the download, and what the archive holds (checked with zipfile).
"""
import argparse
import json
import os
import sys
import time
import urllib.request
import uuid
import zipfile

from demo_api import call, demo_portfolio

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea73581840000000049454e44ae426082"
)
SIZE = 24 * 1024 * 1024








def kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith(field))


def upload(base, token, evidence_id, name, payload):
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: image/png\r\n\r\n").encode()
    body = head + payload + f"\r\n--{boundary}--\r\n".encode()
    call(base, "POST", f"/api/v1/evidence/{evidence_id}/attachments", token, body,
         content_type=f"multipart/form-data; boundary={boundary}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--seed-output", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--gib", type=float, default=1.0)
    p.add_argument("--out", required=True)
    a = p.parse_args()

    apprentice, tutor, mine = demo_portfolio(a.url, a.seed_output)
    aid = mine["id"]
    files = int(-(-a.gib * 1024 ** 3 // SIZE))
    seeding = time.monotonic()
    for i in range(files):
        created = call(a.url, "POST", f"/api/v1/apprenticeships/{aid}/evidence", apprentice, {
            "title": f"Analyser scan {i + 1}", "description": "A scan of the analyser's quality control chart.",
            "kind": "work_product", "occurred_on": mine["start_date"], "ksbs": ["S7"],
        })
        upload(a.url, apprentice, created["id"], f"scan-{i + 1}.png", PNG + os.urandom(SIZE - len(PNG)))
        call(a.url, "POST", f"/api/v1/evidence/{created['id']}/submit", apprentice)
        call(a.url, "POST", f"/api/v1/evidence/{created['id']}/review", tutor, {"decision": "accepted", "feedback": ""})
    seeding = time.monotonic() - seeding

    with open(f"/proc/{a.pid}/clear_refs", "w") as f:
        f.write("5")  # the peak (VmHWM) from here on only
    before = kib(a.pid, "VmRSS:")
    req = urllib.request.Request(f"{a.url}/api/v1/apprenticeships/{aid}/portfolio.zip")
    req.add_header("Authorization", f"Bearer {apprentice}")
    received = 0
    t = time.monotonic()
    with urllib.request.urlopen(req, timeout=600) as response, open(a.out, "wb") as out:
        while chunk := response.read(1024 * 1024):
            received += len(chunk)
            out.write(chunk)
    seconds = time.monotonic() - t
    peak = kib(a.pid, "VmHWM:")
    with zipfile.ZipFile(a.out) as z:
        names = z.namelist()
        attachments = [i for i in z.infolist() if i.filename.startswith("attachments/")]
        bad = z.testzip()
    os.remove(a.out)
    result = {
        "case": "portfolio-zip", "attachments": len(attachments),
        "attachment_bytes": sum(i.file_size for i in attachments), "zip_bytes": received,
        "entries": len(names), "crc_ok": bad is None, "seconds": round(seconds, 1),
        "mib_per_s": round(received / 1024 ** 2 / seconds), "added_s": round(seeding),
        "server_rss_before_mib": round(before / 1024), "server_peak_rss_mib": round(peak / 1024),
    }
    print(json.dumps(result))
    if peak >= 128 * 1024:
        print("target missed: the server's peak resident memory reached 128 MiB", file=sys.stderr)


if __name__ == "__main__":
    main()
