#!/usr/bin/env python3
"""The end-point assessment pack's benchmark (run by bench/pdf.sh, standard library only).

Signs in as the demo apprentice and tutor of apprenticeship 1 of a `ksbfolio demo seed`, brings
its accepted evidence up to --items through the API (each item logged with a long account and
three KSBs, submitted and accepted, as a real one is), then times GET portfolio.pdf --runs times
one after another (after one unmeasured request) and prints one JSON line: the times, the size
and the page count (pdfinfo, when installed).
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time

from demo_api import call, demo_portfolio

ACCOUNT = (
    "I calibrated the blood gas analyser against the two-level quality control material before "
    "the morning clinic, following the standard operating procedure, and recorded the results in "
    "the laboratory information system. The low control read outside its limits, so I stopped, "
    "repeated it with a fresh vial, checked the lot number and expiry, and found the first vial had "
    "been left out of the fridge overnight. The repeat was in range; I told the senior biomedical "
    "scientist, logged the incident and discarded the vial. I learnt why controls are stored as "
    "they are and how a trend on the Levey-Jennings chart shows a drift before a failure does. "
)








def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--seed-output", required=True)
    p.add_argument("--items", type=int, default=300)
    p.add_argument("--runs", type=int, default=10)
    a = p.parse_args()

    apprentice, tutor, mine = demo_portfolio(a.url, a.seed_output)
    aid = mine["id"]
    start = mine["start_date"]
    accepted = call(a.url, "GET", f"/api/v1/apprenticeships/{aid}/evidence?status=accepted&limit=1", apprentice)["total"]
    codes = [k["code"] for k in call(a.url, "GET", f"/api/v1/apprenticeships/{aid}/coverage", apprentice)["ksbs"]]
    added = 0
    seeding = time.monotonic()
    for i in range(max(0, a.items - accepted)):
        ksbs = [codes[(3 * i + j) % len(codes)] for j in range(3)]
        created = call(a.url, "POST", f"/api/v1/apprenticeships/{aid}/evidence", apprentice, {
            "title": f"Quality control and calibration record {i + 1}: blood gas analyser, morning clinic",
            "description": ACCOUNT * 2,
            "kind": ["observation", "work_product", "reflective_account"][i % 3],
            "occurred_on": start,
            "ksbs": ksbs,
        })
        call(a.url, "POST", f"/api/v1/evidence/{created['id']}/submit", apprentice)
        call(a.url, "POST", f"/api/v1/evidence/{created['id']}/review", tutor, {"decision": "accepted", "feedback": ""})
        added += 1
    seeding = time.monotonic() - seeding
    accepted = call(a.url, "GET", f"/api/v1/apprenticeships/{aid}/evidence?status=accepted&limit=1", apprentice)["total"]
    total = call(a.url, "GET", f"/api/v1/apprenticeships/{aid}/evidence?limit=1", apprentice)["total"]

    path = f"/api/v1/apprenticeships/{aid}/portfolio.pdf"
    pdf = call(a.url, "GET", path, apprentice, raw=True)  # unmeasured: fills the catalogue cache
    times = []
    for _ in range(a.runs):
        t = time.monotonic()
        pdf = call(a.url, "GET", path, apprentice, raw=True)
        times.append(time.monotonic() - t)
    pages = None
    try:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout
            pages = int(next(l.split()[1] for l in info.splitlines() if l.startswith("Pages:")))
    except (OSError, subprocess.CalledProcessError, StopIteration):
        pass
    times.sort()
    print(json.dumps({
        "case": "portfolio-pdf", "accepted_items": accepted, "evidence_items": total,
        "added_through_api": added, "seeding_s": round(seeding, 1), "runs": a.runs,
        "min_ms": round(times[0] * 1000), "median_ms": round(statistics.median(times) * 1000),
        "max_ms": round(times[-1] * 1000), "bytes": len(pdf), "pages": pages,
    }))
    if statistics.median(times) >= 2.0:
        print("target missed: the median is not under 2 seconds", file=sys.stderr)


if __name__ == "__main__":
    main()
