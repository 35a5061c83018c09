#!/usr/bin/env python3
"""A conflict case at its statement limits, over HTTP on loopback (docs/perf/conflicts.md).

Usage: python3 docs/perf/conflicts-at-limits.py PORT LABEL [PARTIES]

Against a service started in Development on 127.0.0.1:PORT with a new database file: PARTIES partners (30 by default),
each with a user, register one customer into one case, each adds 20 statements of 8,000 characters with 20 links, and a
second case of two claims is opened; then the list, the arbiter's and a party's reading, concurrent lists and
assignments are timed. Lines are printed and appended to conflicts-at-limits-LABEL.txt in the working directory.
"""
import http.client, json, sys, time, threading, statistics, datetime, os

PORT = int(sys.argv[1]); LABEL = sys.argv[2]; NP = int(sys.argv[3]) if len(sys.argv) > 3 else 30
HOST = "127.0.0.1"  # loopback only
_local = threading.local()


def conn():
    c = getattr(_local, "c", None)
    if c is None:
        c = http.client.HTTPConnection(HOST, PORT, timeout=600)
        _local.c = c
    return c


def req(method, path, token=None, body=None, headers=None):
    h = {"content-type": "application/json"} if body is not None else {}
    if token:
        h["authorization"] = "Bearer " + token
    if headers:
        h.update(headers)
    data = json.dumps(body).encode() if body is not None else None
    for attempt in range(2):
        c = conn()
        try:
            t0 = time.perf_counter()
            c.request(method, "/api/v1" + path, body=data, headers=h)
            r = c.getresponse()
            raw = r.read()
            dt = time.perf_counter() - t0
            return r.status, raw, dict(r.getheaders()), dt
        except (http.client.HTTPException, ConnectionError, OSError):
            c.close(); _local.c = None
            if attempt:
                raise


def ok(st, raw, what):
    if st >= 300:
        raise SystemExit(f"{what}: {st} {raw[:400]!r}")
    return json.loads(raw) if raw else None


def token(user):
    st, raw, _, _ = req("POST", "/dev/token", body={"user": user})
    return ok(st, raw, "token " + user)


log = open(f"conflicts-at-limits-{LABEL}.txt", "a")


def out(*a):
    s = " ".join(str(x) for x in a)
    print(s, flush=True); log.write(s + "\n"); log.flush()


t_setup = time.time()
adm = token("admin"); ADMIN = adm["accessToken"]
mgr = token("manager"); MGR_ID = mgr["userId"]
arb = token("arbiter"); ARB1 = arb["userId"]
st, raw, _, _ = req("POST", "/users", ADMIN, {"subject": "limits-arbiter-2", "userName": "perf.arbiter2", "displayName": "Perf Arbiter Two", "role": "arbiter"})
ARB2 = ok(st, raw, "arbiter2")["id"]

parties = []  # (partnerId, token)
for i in range(NP):
    st, raw, _, _ = req("POST", "/partners", ADMIN, {"name": f"Perf Partner {i:02d}", "tier": "gold", "territories": ["US"], "channelManagerId": MGR_ID})
    pid = ok(st, raw, "partner")["id"]
    st, raw, _, _ = req("POST", "/users", ADMIN, {"subject": f"limits-partner-user-{i:02d}", "userName": f"perf.p{i:02d}", "displayName": f"Perf User {i:02d}", "role": "partner", "partnerId": pid})
    ok(st, raw, "user")
    parties.append((pid, token(f"perf.p{i:02d}")["accessToken"]))
out(f"[{LABEL}] {NP} partners+users made in {time.time()-t_setup:.1f}s")

close = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()


def register(tok, name, domain):
    st, raw, _, _ = req("POST", "/registrations", tok, {"customer": {"name": name, "domain": domain, "country": "US"}, "productLines": ["Security"], "estimatedValue": {"amount": 120000, "currency": "USD"}, "expectedCloseDate": close})
    rid = ok(st, raw, "register")["id"]
    st, raw, _, _ = req("POST", f"/registrations/{rid}/submit", tok)
    return rid, ok(st, raw, "submit")["status"]

statuses = [register(tok, "Bigperf Industries", "bigperf-industries.com")[1] for _, tok in parties]
out(f"[{LABEL}] big-customer submissions: " + ",".join(statuses))
# small second case: two parties on another customer
for _, tok in parties[:2]:
    register(tok, "Smallcase Holdings", "smallcase-holdings.com")

st, raw, _, _ = req("GET", "/conflicts?all=true", ADMIN)
items = ok(st, raw, "list")["items"]
def nclaims(it):
    st, raw, _, _ = req("GET", f"/conflicts/{it['id']}", ADMIN)
    return len(ok(st, raw, "get")["claims"])
sizes = {it["id"]: nclaims(it) for it in items}
out(f"[{LABEL}] cases: {sizes}")
CASE = max(sizes, key=sizes.get)

words = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua " * 100)


def stmt_body(p, k):
    head = f"Party {p:02d} statement {k:02d}: evidence of engagement. "
    text = (head + words)[:8000]
    links = [f"https://www.perf-evidence-{p:02d}.com/case/{k:02d}/document-{j:02d}.pdf" for j in range(20)]
    return {"text": text, "links": links}


def add_stmt(p, k):
    return req("POST", f"/conflicts/{CASE}/statements", parties[p][1], stmt_body(p, k))

t0 = time.time(); add_times = []
for k in range(19):
    for p in range(NP):
        st, raw, _, dt = add_stmt(p, k)
        ok(st, raw, f"stmt {p} {k}"); add_times.append(dt)
out(f"[{LABEL}] {NP*19} statements (19/party) added sequentially in {time.time()-t0:.1f}s; per add: first 30 median {statistics.median(add_times[:30])*1000:.1f} ms, last 30 median {statistics.median(add_times[-30:])*1000:.1f} ms")
out(f"[{LABEL}] setup total {time.time()-t_setup:.1f}s")

# ---- (5) six parties adding their 20th statement at the same moment, in rounds of six distinct parties
rounds = []
done20 = set()
for r in range(NP // 6):
    group = list(range(r * 6, r * 6 + 6))
    barrier = threading.Barrier(6); res = {}
    def worker(p):
        conn()  # open connection first
        barrier.wait()
        t = time.perf_counter(); st, raw, _, dt = add_stmt(p, 19); res[p] = (st, raw[:200], t, time.perf_counter())
    ths = [threading.Thread(target=worker, args=(p,)) for p in group]
    [t.start() for t in ths]; [t.join() for t in ths]
    wall = max(v[3] for v in res.values()) - min(v[2] for v in res.values())
    codes = [res[p][0] for p in group]
    for p in group:
        if res[p][0] < 300:
            done20.add(p)
    bad = [res[p][1] for p in group if res[p][0] >= 300]
    rounds.append((wall, codes))
    out(f"[{LABEL}] (5) round {r}: codes {codes} wall {wall*1000:.0f} ms" + (f" errors {bad[:2]}" if bad else ""))
walls = [w for w, _ in rounds]
out(f"[{LABEL}] (5) six concurrent statement adds: n={len(rounds)} rounds, median wall {statistics.median(walls)*1000:.0f} ms, min {min(walls)*1000:.0f}, max {max(walls)*1000:.0f}; successes {sum(c.count(201)+c.count(200) for _, c in rounds)}/{6*len(rounds)}; 409s {sum(c.count(409) for _, c in rounds)}")

# top up every party to 20
for p in range(NP):
    if p not in done20:
        st, raw, _, _ = add_stmt(p, 19); ok(st, raw, f"topup {p}")
st, raw, _, _ = add_stmt(0, 20)
out(f"[{LABEL}] 21st statement answer: {st} {raw[:120]!r}")


def bench(name, fn, n):
    ts = []; size = None
    fn()  # warm-up
    for _ in range(n):
        st, raw, h, dt = fn()
        if st >= 300:
            raise SystemExit(f"{name}: {st} {raw[:300]!r}")
        ts.append(dt); size = len(raw)
    out(f"[{LABEL}] {name}: n={n} median {statistics.median(ts)*1000:.1f} ms (min {min(ts)*1000:.1f}, max {max(ts)*1000:.1f}); body {size} B")
    return statistics.median(ts)

st, raw, _, _ = req("GET", f"/conflicts/{CASE}", ADMIN)
full = ok(st, raw, "get"); out(f"[{LABEL}] case has {len(full['claims'])} claims, {len(full.get('statements') or [])} statements, {len(raw)} B for admin")

bench("(1) GET /conflicts?all=true admin", lambda: req("GET", "/conflicts?all=true", ADMIN), 21)
bench("(2a) GET /conflicts/{id} admin", lambda: req("GET", f"/conflicts/{CASE}", ADMIN), int(os.environ.get("N2A", "11")))
bench("(2b) GET /conflicts/{id} party", lambda: req("GET", f"/conflicts/{CASE}", parties[3][1]), 21)

# (3) eight concurrent list requests
walls = []
for r in range(12):
    barrier = threading.Barrier(8); res = []
    def lw():
        conn(); barrier.wait(); t = time.perf_counter(); st, raw, _, _ = req("GET", "/conflicts?all=true", ADMIN)
        res.append((t, time.perf_counter(), st))
    ths = [threading.Thread(target=lw) for _ in range(8)]
    [t.start() for t in ths]; [t.join() for t in ths]
    assert all(s == 200 for *_, s in res)
    if r: walls.append(max(e for _, e, _ in res) - min(s for s, _, _ in res))
out(f"[{LABEL}] (3) 8 concurrent lists: n={len(walls)} median wall {statistics.median(walls)*1000:.1f} ms (min {min(walls)*1000:.1f}, max {max(walls)*1000:.1f})")

# (4) assign alternating with If-Match
st, raw, h, _ = req("GET", f"/conflicts/{CASE}", ADMIN)
etag = {k.lower(): v for k, v in h.items()}["etag"]; cur = json.loads(raw).get("arbiterId")
nxt = ARB2 if cur != ARB2 else ARB1
ts = []; sizes_ = []
for i in range(int(os.environ.get("N4", "12"))):
    st, raw, h, dt = req("POST", f"/conflicts/{CASE}/assign", ADMIN, {"arbiterId": nxt}, {"If-Match": etag})
    if st >= 300:
        raise SystemExit(f"assign {st} {raw[:300]!r}")
    etag = {k.lower(): v for k, v in h.items()}["etag"]
    nxt = ARB1 if nxt == ARB2 else ARB2
    if i: ts.append(dt); sizes_.append(len(raw))
out(f"[{LABEL}] (4) POST assign (If-Match, alternating): n={len(ts)} median {statistics.median(ts)*1000:.1f} ms (min {min(ts)*1000:.1f}, max {max(ts)*1000:.1f}); body {statistics.median(sizes_):.0f} B")
out(f"[{LABEL}] measurement script done at {time.time()-t_setup:.1f}s since start")
