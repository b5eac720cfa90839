#!/usr/bin/env python3
"""Helpers of bench/run.sh (standard library only).

  data CASE      write the wrk request list of a case (tokens, paths, bodies) as a Lua file
  capture        pull the SQL one request ran out of the PostgreSQL log (log_statement = all)
  pgscript CASE  turn captured SQL into a pgbench script: same statements, same order, with each
                 per-request parameter rebuilt from a random number (demo ids are spelled from
                 numbers, see src/demo/ids.rs)
  pglat          throughput and latency percentiles from pgbench per-transaction logs
  burst          create and submit evidence for many apprentices at once (outbox messages)
  drain          wait for the outbox to be delivered; the delivery rate
  report         the results table (Markdown) from results.jsonl

Access tokens are minted here with the server's secret (KSBFOLIO_JWT_SECRET) for sessions that
bench/prepare.sql inserted: the server checks them exactly as it checks tokens from /auth/login
(signature, claims, then the session and user rows). Logging in 10,000 apprentices through argon2
would take minutes; login itself is measured as its own case.
"""

import argparse
import base64
import glob
import hashlib
import hmac
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import uuid

DEMO_PASSWORD = "ksbfolio-demo-password"
KSB_CODES = [f"K{i}" for i in range(1, 45)] + [f"S{i}" for i in range(1, 45)] + [f"B{i}" for i in range(1, 7)]


def psql(db, sql):
    out = subprocess.run(["psql", db, "-X", "-q", "-At", "-F", "\t", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(secret, sub, role, org, sid):
    now = int(time.time())
    claims = {"sub": sub, "role": role, "org": org or None, "sid": sid, "iat": now,
              "exp": now + 15 * 60, "iss": "ksbfolio", "aud": "ksbfolio-api", "jti": str(uuid.uuid4())}
    head = b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    body = b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"Bearer {head}.{body}.{b64(sig)}"


def session_of(user_id):
    return "0f" + user_id[2:]


def lua_str(s):
    return "[==[" + s + "]==]" if s is not None else "nil"


# case -> (role of the caller, path; `{aid}`: each apprenticeship, read by its apprentice)
LIST_CASES = {
    "review-queue": ("provider", "/api/v1/review-queue?limit=50"),
    "signoff-queue": ("employer", "/api/v1/signoff-queue?limit=50"),
    "otj-queue": ("provider", "/api/v1/otj-queue?limit=50"),
    "reviews": ("apprentice", "/api/v1/apprenticeships/{aid}/reviews?limit=50"),
    "otj": ("apprentice", "/api/v1/apprenticeships/{aid}/otj?limit=50"),
}


def cmd_data(a):
    rnd = random.Random(a.case)
    tag = a.seed_tag
    rows, sequential = [], False
    if a.case in ("coverage", "create"):
        people = psql(a.db, f"""
            SELECT ap.id, u.id, u.organisation_id FROM apprenticeships ap JOIN users u ON u.id = ap.apprentice_id
            WHERE substr(ap.id::text, 5, 9) = '{tag}' ORDER BY ap.id""")
        for aid, uid, org in people:
            auth = token(a.secret, uid, "apprentice", org, session_of(uid))
            if a.case == "coverage":
                rows.append(("GET", f"/api/v1/apprenticeships/{aid}/coverage", auth, None))
            else:
                body = {"title": "Ran the morning quality control on the blood gas analyser",
                        "description": "I ran the controls, checked them against the limits and recorded the results.",
                        "kind": rnd.choice(["observation", "reflective_account", "work_product"]),
                        "occurred_on": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400)),
                        "ksbs": rnd.sample(KSB_CODES, rnd.randint(1, 3))}
                rows.append(("POST", f"/api/v1/apprenticeships/{aid}/evidence", auth, json.dumps(body)))
    elif a.case == "caseload":
        for uid, org in psql(a.db, f"""SELECT id, organisation_id FROM users
                                       WHERE role = 'provider' AND substr(id::text, 5, 9) = '{tag}' ORDER BY id"""):
            rows.append(("GET", "/api/v1/caseload?limit=100", token(a.secret, uid, "provider", org, session_of(uid)), None))
    elif a.case == "inbox":
        # Tutors and mentors, the people whose landing page it is; their own apprentices only.
        for uid, role, org in psql(a.db, f"""SELECT id, role, organisation_id FROM users
                                       WHERE role IN ('provider', 'employer') AND substr(id::text, 5, 9) = '{tag}'
                                       ORDER BY id"""):
            rows.append(("GET", "/api/v1/inbox?limit=50", token(a.secret, uid, role, org, session_of(uid)), None))
    elif a.case in LIST_CASES:
        # The lists that joined later: each person's queue, an apprenticeship's reviews and OTJ log.
        who, path = LIST_CASES[a.case]
        if "{aid}" in path:
            people = psql(a.db, f"""
                SELECT ap.id, u.id, u.organisation_id FROM apprenticeships ap JOIN users u ON u.id = ap.apprentice_id
                WHERE substr(ap.id::text, 5, 9) = '{tag}' ORDER BY ap.id""")
            for aid, uid, org in people:
                rows.append(("GET", path.format(aid=aid), token(a.secret, uid, who, org, session_of(uid)), None))
        else:
            for uid, org in psql(a.db, f"""SELECT id, organisation_id FROM users
                                           WHERE role = '{who}' AND substr(id::text, 5, 9) = '{tag}' ORDER BY id"""):
                rows.append(("GET", path, token(a.secret, uid, who, org, session_of(uid)), None))
    elif a.case == "review":
        sequential = True
        tutors = {}
        for uid, org in psql(a.db, f"""SELECT id, organisation_id FROM users
                                       WHERE role = 'provider' AND substr(id::text, 5, 9) = '{tag}'"""):
            tutors.setdefault(org, []).append(uid)
        items = psql(a.db, f"""SELECT e.id, ap.provider_id FROM evidence e JOIN apprenticeships ap ON ap.id = e.apprenticeship_id
                               WHERE e.status = 'submitted' AND substr(ap.id::text, 5, 9) = '{tag}'
                               ORDER BY md5(e.id::text) LIMIT {a.limit}""")
        for eid, provider in items:
            tutor = rnd.choice(tutors[provider])
            if rnd.random() < 0.8:
                body = {"decision": "accepted", "feedback": "Well evidenced."}
            else:
                body = {"decision": "changes_requested", "feedback": "Please add what you would do differently next time."}
            rows.append(("POST", f"/api/v1/evidence/{eid}/review",
                         token(a.secret, tutor, "provider", provider, session_of(tutor)), json.dumps(body)))
    elif a.case == "login":
        for (email,) in psql(a.db, f"""SELECT email FROM users
                                       WHERE role = 'apprentice' AND substr(id::text, 5, 9) = '{tag}' ORDER BY id"""):
            rows.append(("POST", "/api/v1/auth/login", None, json.dumps({"email": email, "password": DEMO_PASSWORD})))
    elif a.case in ("sign-in-link-known", "sign-in-link-unknown"):
        # Each address once in turn (sequential), so the per-address throttle (five requests)
        # is not reached within a run; the server's per-client limit is raised for this case.
        emails = [e for (e,) in psql(a.db, f"""SELECT email FROM users
                                        WHERE role = 'apprentice' AND substr(id::text, 5, 9) = '{tag}' ORDER BY id""")]
        if a.case == "sign-in-link-unknown":
            emails = [f"nobody-{i}@{tag}.example.org" for i in range(len(emails))]
        rows = [("POST", "/api/v1/auth/sign-in-link", None, json.dumps({"email": e})) for e in emails]
        sequential = True
    else:
        sys.exit(f"unknown case {a.case}")
    if not rows:
        sys.exit(f"no requests for case {a.case}: is the data set seeded?")
    with open(a.out, "w") as f:
        f.write(f"return {{ sequential = {'true' if sequential else 'false'}, requests = {{\n")
        for method, path, auth, body in rows:
            f.write(f"{{{lua_str(method)}, {lua_str(path)}, {lua_str(auth)}, {lua_str(body)}}},\n")
        f.write("} }\n")
    print(f"{len(rows)} {a.case} requests -> {a.out}", file=sys.stderr)


LOG_LINE = re.compile(r"^\S+ \S+ \S+ \[(\d+)\] (LOG|DETAIL):  (.*)$")


def cmd_capture(a):
    """Statements logged after byte `offset`, in order, with their parameters."""
    with open(a.log, "rb") as f:
        f.seek(a.offset)
        text = f.read().decode("utf-8", "replace")
    statements = []
    for line in text.splitlines():
        m = LOG_LINE.match(line)
        if not m:
            continue
        pid, level, msg = m.groups()
        if level == "LOG":
            s = re.match(r"(?:execute [^:]+|statement): (.*)$", msg)
            if s:
                statements.append({"pid": int(pid), "sql": s.group(1), "params": {}})
        elif level == "DETAIL" and msg.startswith("parameters: ") and statements:
            statements[-1]["params"] = parse_params(msg[len("parameters: "):])
    json.dump(statements, open(a.out, "w"), indent=1)
    print(f"{len(statements)} statements -> {a.out}", file=sys.stderr)


def parse_params(s):
    """`$1 = 'a', $2 = NULL` -> {"1": "a", "2": None} (quotes doubled inside values)."""
    out, i = {}, 0
    pattern = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')(, )?")
    while i < len(s):
        m = pattern.match(s, i)
        if not m:
            break
        out[m.group(1)] = None if m.group(2) == "NULL" else m.group(3).replace("''", "'")
        i = m.end()
    return out


def demo_uuid(kind, tag, var):
    """SQL building demo id `kind` + seed tag + number from pgbench variable `var`."""
    return f"('{kind}{tag[:4]}-{tag[5:]}-4000-8000-' || lpad(:{var}::text, 12, '0'))::uuid"


def cmd_pgscript(a):
    captured = json.load(open(a.captured))
    tag = a.seed_tag
    per_request = {}  # captured value -> pgbench expression
    if a.case == "coverage":
        k = a.k
        prelude = [f"\\set k random(1, {a.apprenticeships})"]
        for kind in ("0c00", "0b03", "0f03"):
            per_request[f"{kind}{tag[:4]}-{tag[5:]}-4000-8000-{k:012d}"] = demo_uuid(kind, tag, "k")
    else:
        p, t = a.provider, a.tutor
        prelude = [f"\\set p random(1, {a.providers})", f"\\set j random(1, {a.tutors_per_provider})",
                   "\\set t :p * 1000 + :j"]
        per_request[f"0a01{tag[:4]}-{tag[5:]}-4000-8000-{p:012d}"] = demo_uuid("0a01", tag, "p")
        for kind in ("0b01", "0f01"):
            per_request[f"{kind}{tag[:4]}-{tag[5:]}-4000-8000-{t:012d}"] = demo_uuid(kind, tag, "t")
    lines = [f"-- {a.case}: generated by bench/bench.py from the SQL the endpoint ran (PostgreSQL log,",
             "-- log_statement = all). Statements are verbatim; each $n is replaced by the value's",
             "-- source: an id rebuilt from this transaction's random number, a variable set by the page",
             "-- query (caseload), or a constant passed with -D (same for every request)."] + prelude
    defines, constants, page_arrays = {}, [], {}

    def substitute(sql, params, index):
        def value_expr(n):
            v = params.get(n)
            if v is None:
                return "NULL"
            if v in per_request:
                return per_request[v]
            if v.startswith("{") and v.endswith("}"):
                items = v[1:-1].split(",") if len(v) > 2 else []
                if v in page_arrays:
                    return f":{page_arrays[v]}"
                if items and all(i in per_request for i in items):
                    return "ARRAY[" + ", ".join(per_request[i] for i in items) + "]"
            name = f"c{index}_{n}"
            defines[name] = v
            constants.append(f"statement {index + 1} ${n} = {v[:60]}{'…' if len(v) > 60 else ''}")
            # The app binds its parameters with their types; pgbench sends text the server types
            # from the context, which makes `$2 + 14` of a date an integer: say that it is a date.
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                return f"(:{name})::date"
            return f":{name}"
        return re.sub(r"\$(\d+)\b", lambda m: value_expr(m.group(1)), sql)

    for index, st in enumerate(captured):
        sql, params = st["sql"], st["params"]
        if a.case == "caseload" and sql.startswith('SELECT "apprenticeships"."id"') and " LIMIT " in sql:
            # The page query: pgbench keeps its ids for the statements that follow (as the app does).
            ids = next(s for s in captured[index + 1:] if '"duty_progress"' in s["sql"])["params"]["1"]
            people = next(s for s in captured[index + 1:] if s["sql"].startswith('SELECT "users"'))["params"]["1"]
            page_arrays.update({ids: "ids", people: "people"})
            inner = substitute(sql, params, index)
            lines.append("SELECT array_agg(id) AS ids, array_agg(apprentice_id) AS people "
                         f"FROM ({inner}) page \\gset")
            continue
        lines.append(substitute(sql, params, index) + ";")
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(a.out + ".defines", "w") as f:
        for name, v in defines.items():
            f.write(f"-D{name}={v}\n")
    print(f"pgbench script {a.out}: {len(captured)} statements; constants: " + ("; ".join(constants) or "none"),
          file=sys.stderr)


def literal(v):
    return "NULL" if v is None else "'" + v.replace("'", "''") + "'"


def cmd_explain(a):
    """EXPLAIN (ANALYZE, BUFFERS) of every captured SELECT, prepared the way the app sends it."""
    for path in a.captured:
        case = os.path.basename(path).replace("captured-", "").replace(".json", "")
        for i, st in enumerate(json.load(open(path))):
            if not st["sql"].lstrip().upper().startswith("SELECT"):
                continue
            n = len(st["params"])
            args = ", ".join(literal(st["params"][str(j)]) for j in range(1, n + 1))
            print(f"\\echo '=== {case}, statement {i + 1}'")
            print(f"\\echo '{st['sql'].replace(chr(39), chr(39) * 2)}'")
            print(f"PREPARE plan_{case}_{i} AS {st['sql']};")
            print(f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE plan_{case}_{i}{'(' + args + ')' if n else ''};")
            print(f"DEALLOCATE plan_{case}_{i};")


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    i = min(len(sorted_values) - 1, max(0, int(round(q / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[i]


def cmd_pglat(a):
    lat = []
    for path in a.logs:
        for line in open(path):
            parts = line.split()
            if len(parts) >= 3:
                lat.append(int(parts[2]))
    lat.sort()
    print(json.dumps({"transactions": len(lat), "p50_us": percentile(lat, 50), "p99_us": percentile(lat, 99),
                      "mean_us": round(sum(lat) / max(1, len(lat)), 1)}))


def busy_jiffies():
    """The machine's busy time: all but idle and iowait, with the time the hypervisor took
    (steal, field 8) apart: on a shared host it is the neighbours' load, not this machine's."""
    f = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    steal = f[7]
    return sum(x for i, x in enumerate(f, 1) if i not in (4, 5, 8)), steal


def proc_jiffies(pid, children=True):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    # after the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17
    return sum(int(x) for x in f[11:15 if children else 13])


def tree_jiffies(root):
    """A process, its reaped children, and its live children (PostgreSQL backends)."""
    total = proc_jiffies(root)
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                ppid = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1]
            except OSError:
                continue
            if ppid == str(root):
                total += proc_jiffies(pid, children=False)
    return total


def cmd_measure(a):
    """Run the load generator; report where the machine's CPU went meanwhile."""
    import resource
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    tick = os.sysconf("SC_CLK_TCK")
    busy0, steal0 = busy_jiffies()
    before = (busy0, proc_jiffies(a.server) if a.server else 0, tree_jiffies(a.postmaster), steal0)
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.time()
    with open(a.out, "w") as out:
        rc = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT).returncode
    wall = time.time() - start
    usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy1, steal1 = busy_jiffies()
    after = (busy1, proc_jiffies(a.server) if a.server else 0, tree_jiffies(a.postmaster), steal1)
    total, server, pg, steal = ((y - x) / tick for x, y in zip(before, after))
    loadgen = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    print(json.dumps({"wall_s": round(wall, 2), "cpu_total_s": round(total, 2), "cpu_server_s": round(server, 2),
                      "cpu_postgres_s": round(pg, 2), "cpu_loadgen_s": round(loadgen, 2),
                      "cpu_other_s": round(max(0.0, total - server - pg - loadgen), 2),
                      "cpu_steal_s": round(steal, 2)}))
    sys.exit(rc)


def http(method, url, auth, body=None):
    import urllib.request
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", auth)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def cmd_burst(a):
    """Evidence created and submitted for `count` apprentices (one each), `clients` at a time: each
    submission writes an outbox message to the tutor in its transaction. Prints one JSON line."""
    from concurrent.futures import ThreadPoolExecutor
    people = psql(a.db, f"""
        SELECT ap.id, u.id, u.organisation_id FROM apprenticeships ap JOIN users u ON u.id = ap.apprentice_id
        WHERE substr(ap.id::text, 5, 9) = '{a.seed_tag}' ORDER BY md5(ap.id::text || '{a.round}') LIMIT {a.count}""")
    if len(people) < a.count:
        sys.exit(f"only {len(people)} apprenticeships for a burst of {a.count}")
    rnd = random.Random(a.round)
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))

    def one(person):
        aid, uid, org = person
        auth = token(a.secret, uid, "apprentice", org, session_of(uid))
        created = http("POST", f"{a.url}/api/v1/apprenticeships/{aid}/evidence", auth,
                       {"title": "Calibrated the pipettes before the morning run", "kind": "work_product",
                        "occurred_on": day, "ksbs": rnd.sample(KSB_CODES, 2)})
        http("POST", f"{a.url}/api/v1/evidence/{created['id']}/submit", auth)

    start = time.time()
    errors = 0
    with ThreadPoolExecutor(max_workers=a.clients) as pool:
        for f in [pool.submit(one, p) for p in people]:
            try:
                f.result()
            except Exception as e:  # counted, and the first few shown
                errors += 1
                if errors <= 3:
                    print(f"burst request failed: {e}", file=sys.stderr)
    wall = time.time() - start
    print(json.dumps({"submissions": a.count, "requests": 2 * a.count, "wall_s": round(wall, 2),
                      "rps": round(2 * a.count / wall, 1), "errors": errors}))


def cmd_drain(a):
    """Waits until no immediate message is pending (or `timeout` passes); prints how many were
    sent, and the rate from `since` (epoch seconds) to the last one sent."""
    deadline = time.time() + a.timeout
    while True:
        (pending,), = psql(a.db, "SELECT count(*) FROM outbox WHERE status = 'pending' AND delivery = 'immediate'")
        if int(pending) == 0 or time.time() > deadline:
            break
        time.sleep(0.05)
    (sent, failed, first, last), = psql(a.db, f"""
        SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status = 'failed'),
               coalesce(extract(epoch FROM min(sent_at)), 0), coalesce(extract(epoch FROM max(sent_at)), 0)
        FROM outbox WHERE delivery = 'immediate' AND sent_at >= to_timestamp({a.since})""")
    # From the worker's start (its start-up included) and from the first message sent to the last.
    seconds = max(float(last) - a.since, 1e-3)
    sending = max(float(last) - float(first), 1e-3)
    print(json.dumps({"messages": int(sent), "failed": int(failed), "left_pending": int(pending),
                      "seconds": round(seconds, 2), "messages_per_s": round(int(sent) / seconds, 1),
                      "sending_s": round(sending, 2), "sending_per_s": round(int(sent) / sending, 1)}))


def change_pct(before, during, after, key):
    """How much `during` differs from the mean of `before` and `after` in `key`, in percent."""
    idle = (before[key] + after[key]) / 2
    return 100 * (during[key] - idle) / idle


def outbox_windows(rows):
    """Case `outbox`'s reads, window B (delivering, or held back in the control round) against
    the mean of the idle windows A and C of its round: the change of each figure, in percent."""
    windows = {}
    for r in rows:
        if r["case"].startswith("coverage-outbox-think-") and "window" in r and "slice" not in r:
            windows.setdefault((r["case"], r["round"]), {})[r["window"]] = r
    if not windows:
        return []
    out = ["", "Reads during a delivery burst: window B against the mean of the idle windows A and C "
           "(the control round holds the messages back during B).", "",
           "Steal: CPU seconds the hypervisor gave to other guests in each window (A, B, C); a round whose",
           "windows differ by seconds of it measured the neighbours as much as the delivery.", "",
           "| load | round | req/s A, B, C | req/s | p50 | p99 | mean | steal s A, B, C |",
           "|---|---|---|---:|---:|---:|---:|---|"]
    for (case, rnd), w in windows.items():
        if set(w) != {"A", "B", "C"}:
            continue
        think = case.rsplit("-", 1)[1]
        load = "flat out" if think == "0" else f"{think} ms pauses"

        def change(key):
            return f"{change_pct(w['A'], w['B'], w['C'], key):+.1f}%"
        rates = ", ".join(f"{w[k]['rps']:,.0f}" for k in "ABC")
        steal = ", ".join(f"{w[k]['cpu_steal_s']:.1f}" for k in "ABC") if all(
            "cpu_steal_s" in w[k] for k in "ABC") else "not recorded"
        out.append(f"| {load} | {rnd} | {rates} | {change('rps')} | {change('p50_us')} | {change('p99_us')} "
                   f"| {change('mean_us')} | {steal} |")
    return out


# A slice in which the hypervisor gave more than this share of the machine's CPU to other guests
# (steal) measured the neighbours: its triple is left out of the comparison.
STEAL_LIMIT = 0.025


def outbox_slices(rows):
    """Case `outbox`'s alternating rounds: each delivering slice (held back in a control round)
    against the mean of the idle slices before and after it; per round the mean of those changes
    over its slices, and their range. Triples with a slice over `STEAL_LIMIT` are left out."""
    rounds = {}
    for r in rows:
        if r["case"].startswith("coverage-outbox-think-") and "slice" in r:
            rounds.setdefault((r["case"], r["round"]), {})[(r["window"], r["slice"])] = r
    if not rounds:
        return []
    out = ["", "Reads in alternating slices: each delivering slice against the mean of the idle slices either "
           "side of it, the mean over the round's slices (and the range of the req/s changes). A slice in which",
           f"the hypervisor gave over {STEAL_LIMIT:.1%} of the machine to other guests (steal) leaves its slice out.", "",
           "| load | round | slices | req/s idle, delivering | req/s | (range) | p50 | p99 | mean | steal s |",
           "|---|---|---:|---|---:|---|---:|---:|---:|---:|"]
    pooled = {}
    for (case, rnd), w in rounds.items():
        triples = [(w[("idle", i)], w[("delivering", i)], w[("idle", i + 1)])
                   for i in range(len(w)) if ("delivering", i) in w and ("idle", i + 1) in w]

        def calm(r):
            return r.get("cpu_steal_s", 0) <= STEAL_LIMIT * os.cpu_count() * r["wall_s"]
        pairs = [t for t in triples if all(calm(r) for r in t)]
        think = case.rsplit("-", 1)[1]
        load = "flat out" if think == "0" else f"{think} ms pauses"
        pooled.setdefault((load, "control" in rnd), []).extend(pairs)
        if not pairs:
            out.append(f"| {load} | {rnd} | 0 of {len(triples)} | (every slice had steal) | | | | | | |")
            continue

        def changes(key):
            return [change_pct(a, b, c, key) for a, b, c in pairs]
        mean = statistics.mean
        rps = changes("rps")
        idle = mean([(a["rps"] + c["rps"]) / 2 for a, _, c in pairs])
        busy = mean([b["rps"] for _, b, _ in pairs])
        steal = sum(r.get("cpu_steal_s", 0) for r in w.values())
        out.append(f"| {load} | {rnd} | {len(pairs)} of {len(triples)} | {idle:,.0f}, {busy:,.0f} | {mean(rps):+.1f}% "
                   f"| {min(rps):+.1f} to {max(rps):+.1f}% | {mean(changes('p50_us')):+.1f}% "
                   f"| {mean(changes('p99_us')):+.1f}% | {mean(changes('mean_us')):+.1f}% | {steal:.1f} |")
    out += ["", "All the rounds' slices together, delivering rounds and control rounds apart: the mean change "
            "and its standard error.", "", "| load | rounds | slices | req/s | p50 | p99 | mean |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for (load, control), pairs in sorted(pooled.items()):
        if len(pairs) < 2:
            continue

        def pooled_change(key):
            values = [change_pct(a, b, c, key) for a, b, c in pairs]
            error = statistics.stdev(values) / len(values) ** 0.5
            return f"{statistics.mean(values):+.1f}% ± {error:.1f}"
        out.append(f"| {load} | {'control' if control else 'delivering'} | {len(pairs)} | {pooled_change('rps')} "
                   f"| {pooled_change('p50_us')} | {pooled_change('p99_us')} | {pooled_change('mean_us')} |")
    return out


def cmd_report(a):
    rows = [json.loads(l) for l in open(a.results) if l.strip()]
    seeds = [r for r in rows if r["case"] == "seed"]
    deliveries = [r for r in rows if r["case"] == "outbox delivery"]
    rows = [r for r in rows if r["case"] not in ("seed", "outbox delivery")]
    out = [f"seed N = {r['n']}: {r['ms'] / 1000:.1f} s, database {r['db_bytes'] / 2**30:.2f} GiB" for r in seeds]
    out += ["", "CPU columns: CPU seconds used during the run by the server, PostgreSQL, the load generator",
            "and anything else on the machine (2 cores: 2 x run length is available), and the steal: what",
            "the hypervisor gave to other guests meanwhile.", "",
            "| N | case | conns | tool | req/s | p50 ms | p99 ms | errors | server peak RSS MB "
            "| CPU server | CPU postgres | CPU loadgen | CPU other | CPU steal |",
            "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        rss = f"{r['rss_hwm_kb'] / 1024:.0f}" if r.get("rss_hwm_kb") else ""
        cpu = " | ".join(f"{r[k]:.1f}" if k in r else "" for k in
                         ("cpu_server_s", "cpu_postgres_s", "cpu_loadgen_s", "cpu_other_s", "cpu_steal_s"))
        out.append(f"| {r['n']} | {r['case']} | {r['conns']} | {r['tool']} | {r['rps']:.0f} | "
                   f"{r['p50_us'] / 1000:.2f} | {r['p99_us'] / 1000:.2f} | {r.get('errors', 0)} | {rss} | {cpu} |")
    if deliveries:
        out += ["", "| N | outbox delivery | messages | s from worker start | messages/s | s first to last sent "
                "| messages/s | failed |", "|---:|---|---:|---:|---:|---:|---:|---:|"]
        out += [f"| {r['n']} | {r['while']} | {r['messages']} | {r['seconds']:.2f} | {r['messages_per_s']:.0f} "
                f"| {r.get('sending_s', 0):.2f} | {r.get('sending_per_s', 0):.0f} | {r['failed']} |" for r in deliveries]
    out += outbox_windows(rows)
    out += outbox_slices(rows)
    ratios = []
    for r in rows:
        if r["tool"] == "wrk" and r["case"] in ("coverage", "caseload", "inbox"):
            pg = next((p for p in rows if p["tool"] == "pgbench" and p["n"] == r["n"]
                       and p["case"] == r["case"] and p["conns"] == r["conns"]), None)
            if pg and pg["rps"]:
                ratios.append(f"| {r['n']} | {r['case']} | {r['conns']} | {r['rps']:.0f} | {pg['rps']:.0f} | "
                              f"{100 * r['rps'] / pg['rps']:.0f}% |")
    if ratios:
        out += ["", "| N | case | conns | app req/s | pgbench tx/s | app / pgbench |",
                "|---:|---|---:|---:|---:|---:|"] + ratios
    print("\n".join(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data")
    d.add_argument("case")
    d.add_argument("--db", required=True)
    d.add_argument("--secret", default=os.environ.get("KSBFOLIO_JWT_SECRET"))
    d.add_argument("--seed-tag", required=True)
    d.add_argument("--limit", type=int, default=60000)
    d.add_argument("--out", required=True)
    c = sub.add_parser("capture")
    c.add_argument("--log", required=True)
    c.add_argument("--offset", type=int, required=True)
    c.add_argument("--out", required=True)
    p = sub.add_parser("pgscript")
    p.add_argument("case", choices=["coverage", "caseload"])
    p.add_argument("--captured", required=True)
    p.add_argument("--seed-tag", required=True)
    p.add_argument("--k", type=int, default=1)
    p.add_argument("--provider", type=int, default=1)
    p.add_argument("--tutor", type=int, default=1001)
    p.add_argument("--apprenticeships", type=int, required=True)
    p.add_argument("--providers", type=int, default=1)
    p.add_argument("--tutors-per-provider", type=int, default=12)
    p.add_argument("--out", required=True)
    l = sub.add_parser("pglat")
    l.add_argument("logs", nargs="+")
    m = sub.add_parser("measure")
    m.add_argument("--server", type=int, default=0)
    m.add_argument("--postmaster", type=int, required=True)
    m.add_argument("--out", required=True)
    m.add_argument("command", nargs=argparse.REMAINDER)
    e = sub.add_parser("explain")
    e.add_argument("captured", nargs="+")
    b = sub.add_parser("burst")
    b.add_argument("--db", required=True)
    b.add_argument("--url", required=True)
    b.add_argument("--secret", default=os.environ.get("KSBFOLIO_JWT_SECRET"))
    b.add_argument("--seed-tag", required=True)
    b.add_argument("--count", type=int, default=1000)
    b.add_argument("--clients", type=int, default=16)
    b.add_argument("--round", default="1")
    w = sub.add_parser("drain")
    w.add_argument("--db", required=True)
    w.add_argument("--since", type=float, required=True)
    w.add_argument("--timeout", type=float, default=120)
    r = sub.add_parser("report")
    r.add_argument("results")
    a = ap.parse_args()
    {"data": cmd_data, "capture": cmd_capture, "pgscript": cmd_pgscript, "pglat": cmd_pglat,
     "report": cmd_report, "explain": cmd_explain, "measure": cmd_measure, "burst": cmd_burst,
     "drain": cmd_drain}[a.cmd](a)


if __name__ == "__main__":
    main()
