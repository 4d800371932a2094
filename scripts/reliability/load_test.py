#!/usr/bin/env python3
"""Load test (reliability issue, load item): many concurrent HTTP clients mixing start, enqueue,
stop, list and log reads against `trellis start-all`, then a consistency and leak check.

Usage: scripts/reliability/load_test.py [--smoke] [--clients N] [--duration S] [--binary PATH]
                                        [--create-rate R] [--settle-timeout S] [--seed N] [--keep]

Full mode (default): 200 clients for 60 s.  --smoke: 20 clients for 10 s (CI; no memory budget).

What it does:
  1. A temporary home with a few DAGs (`true`/`echo` steps, `sleep 1`-`sleep 3` ones, one with
     max_active_runs 2 for queueing), served by `trellis start-all --port 0`. The binary is copied
     into the home first, so a concurrent rebuild cannot swap it under the run agents.
  2. Warm-up: a short burst of the same mix with a few clients; once its runs are terminal and the
     client connections are closed, the server's open fds (/proc/<pid>/fd) and VmRSS are recorded.
  3. Load: N client threads, each with its own keep-alive connection (http.client, no proxy),
     looping over a weighted random mix for --duration seconds:
       POST /dags/{f}/start, POST /dags/{f}/enqueue (the returned dagRunId recorded; some with
       singleton: true), POST /dag-runs/{name}/{id}/stop (a recently created run), GET /dags,
       GET /dag-runs (1-3 cursor pages), GET /dag-runs/{name}/{id}, GET .../log,
       GET .../steps/{step}/log.
     Run creation is paced by a token bucket (--create-rate runs/s overall, plus a per-DAG cap on
     enqueues below each queue's drain rate) so that every run can end within --settle-timeout on a
     small machine; a client whose create is not allowed does a read instead.
     Every response is counted by endpoint and status. Any 5xx, connection error or timeout is a
     failure (request and body printed). A 4xx is a failure unless it is expected:
       start/enqueue + singleton -> 409 already_exists; stop -> 400 not_running (run finished);
       stop -> 400 "... is being dispatched and cannot be dequeued" (a queued run the dispatcher
       has claimed; counted separately, see docs/LOAD.md and stop_dispatch_repro.py);
       run log -> 404 while the run has no log yet (queued); step log -> 404 "log file not found
       for step" while the step has not run.
     Half the creates send their own dagRunId, so a run whose create failed can be accounted for.
  4. Settle: wait (bounded) until every created run is terminal (succeeded 4, failed 2, aborted 3,
     partially_succeeded 6), then check:
       - the full GET /dag-runs listing (cursor walk, limit 500) holds every created run ID exactly
         once (lost = 0, duplicated = 0) and no run ID nobody created; the same for each DAG's
         GET /dag-runs/{name} listing; GET .../log and the first step's log answer 200 for every
         run (step) that started;
       - no dagRunId was returned by two creates;
       - every run is terminal in the listing and in GET /dag-runs/{name}/{id}; GET /queues shows
         nothing running or queued;
       - the server's fd count is back within --fd-margin of before; no zombie child processes;
       - memory: the growth of the server's anonymous memory (RssAnon: heap and stacks, what a
         leak grows) is held to a 5 MiB budget (enforced in full mode only; with --rounds > 1
         the verdict is the growth after the first round). VmRSS is reported too, but its
         file-backed part is the binary's own pages, mapped as code paths are first used: it
         rises once and stays, and the kernel can drop it at any time (docs/LOAD.md).
     Also reported: server CPU during the load, GET /health latency seen by an independent curl,
     and the cost of GET /dag-runs?limit=20 on the idle server with the test's history.
     Exit status 1 on any failure.
"""
import argparse, collections, http.client, json, os, random, re, shutil, signal, subprocess, sys
import tempfile, threading, time, urllib.parse, uuid

TERMINAL = {2: "failed", 3: "aborted", 4: "succeeded", 6: "partially_succeeded"}
ACTIVE = {0, 1, 5, 7}
RSS_BUDGET_KIB = 5 * 1024
TRIM_PAUSE = 11.0  # seconds: one pass of the server's 10 s heap trim

# DAG file stem -> (YAML, first step name, enqueue cap in runs/s: kept below the drain rate of the
# DAG's own queue, max_active_runs 1 unless stated, so the backlog drains within the settle time).
DAGS = {
    "quick": ("steps:\n  - {name: only, command: \"true\"}\n", "only", 1.0),
    "echo3": ("steps:\n  - {name: one, command: echo one}\n  - {name: two, command: echo two}\n"
              "  - {name: three, command: echo three}\n", "one", 0.6),
    "sleep1": ("steps:\n  - {name: nap, command: sleep 1}\n  - {name: after, command: echo done}\n", "nap", 0.15),
    "sleep2": ("type: graph\nsteps:\n  - {name: a, command: sleep 2}\n  - {name: b, command: sleep 1}\n"
               "  - {name: c, command: echo c, depends: [a, b]}\n", "a", 0.1),
    "sleep3": ("steps:\n  - {name: long, command: sleep 3}\n", "long", 0.05),
    "mq": ("max_active_runs: 2\nsteps:\n  - {name: work, command: sleep 1}\n", "work", 0.8),
}
# Weighted operation mix (relative weights).
MIX = [("start", 12), ("enqueue", 12), ("stop", 8), ("list_dags", 10), ("list_runs", 14),
       ("get_run", 20), ("run_log", 12), ("step_log", 12)]

# --- Server ------------------------------------------------------------------------------------

class Server:
    """`trellis start-all` on a temporary home, on a free port."""

    def __init__(self, binary, keep=False, extra_env=()):
        self.keep = keep
        self.home = tempfile.mkdtemp(prefix="trellis-load-")
        os.makedirs(os.path.join(self.home, "dags"))
        for name, (text, _, _) in DAGS.items():
            with open(os.path.join(self.home, "dags", name + ".yaml"), "w") as f:
                f.write("shell: sh\n" + text)
        self.binary = os.path.join(self.home, "trellis")
        shutil.copy2(binary, self.binary)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TRELLIS_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        env["TRELLIS_HOME"] = self.home
        env["TRELLIS_LOG_LEVEL"] = "warning"
        env.update(item.split("=", 1) for item in extra_env)
        self.log_path = os.path.join(self.home, "start-all.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([self.binary, "start-all", "--home", self.home, "--port", "0"],
                                        cwd=self.home, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        self.pid = self.process.pid
        deadline = time.time() + 120
        self.port = None
        while time.time() < deadline and self.process.poll() is None:
            text = open(self.log_path).read()
            match = re.search(r"listening on 127\.0\.0\.1:(\d+)", text)
            if match and "scheduler is the leader" in text:
                self.port = int(match.group(1))
                break
            time.sleep(0.05)
        if self.port is None:
            text = open(self.log_path).read()
            self.close()
            sys.exit("trellis start-all did not start:\n" + text)

    def fds(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def fd_targets(self):
        out = collections.Counter()
        for fd in os.listdir(f"/proc/{self.pid}/fd"):
            try:
                target = os.readlink(f"/proc/{self.pid}/fd/{fd}")
            except OSError:
                continue
            out[re.sub(r"\d+", "N", target) if target.startswith(("socket:", "pipe:", "anon_inode:")) else target] += 1
        return out

    def status_kib(self, key):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return 0

    def children(self):
        """(children, zombies) of the server process."""
        kids, zombies = 0, 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid:
                kids += 1
                zombies += fields[0] == "Z"
        return kids, zombies

    def cpu_seconds(self):
        """User + system CPU seconds of the server process itself (not its run agents)."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def threads(self):
        return len(os.listdir(f"/proc/{self.pid}/task"))

    def log_problems(self):
        with open(self.log_path, errors="replace") as f:
            return [line.rstrip() for line in f if re.search(r"\b(error|critical|fatal)\b", line, re.I)]

    def close(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        if self.keep:
            print(f"home kept: {self.home}")
        else:
            shutil.rmtree(self.home, ignore_errors=True)

# --- HTTP client -------------------------------------------------------------------------------

class Client:
    """One keep-alive connection to the server (no proxy)."""

    def __init__(self, port, timeout):
        self.port, self.timeout, self.conn = port, timeout, None

    def request(self, method, path, body=None):
        """(status, parsed JSON or raw bytes, elapsed). Raises OSError/HTTPException on transport errors."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data is not None else {}
        if method == "POST" and data is None:
            headers["Content-Length"] = "0"
        for attempt in (0, 1):
            fresh = self.conn is None
            if fresh:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            start = time.perf_counter()
            try:
                self.conn.request(method, "/api/v1" + path, body=data, headers=headers)
                reply = self.conn.getresponse()
                raw = reply.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                # A reused keep-alive connection the server had closed: retry once on a new one.
                # Only a connection that had not been used yet (fresh) makes this a failure.
                self.close()
                if fresh or attempt == 1:
                    raise
                continue
            except BaseException:
                self.close()
                raise
            elapsed = time.perf_counter() - start
            if reply.getheader("Connection", "").lower() == "close":
                self.close()
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = raw
            return reply.status, parsed, elapsed
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None

def q(text):
    return urllib.parse.quote(text, safe="")

# --- Shared state --------------------------------------------------------------------------------

class TokenBucket:
    def __init__(self, rate, burst):
        self.rate, self.capacity, self.tokens, self.last = rate, burst, burst, time.monotonic()
        self.lock = threading.Lock()

    def take(self):
        if self.rate <= 0:
            return True
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False

class State:
    def __init__(self, create_rate, enqueue_scale):
        self.lock = threading.Lock()
        self.runs = {}                # run ID -> {"dag", "via", "phase"}
        self.order = []               # run IDs in creation order
        self.duplicate_creates = []   # run IDs returned by more than one create
        self.stopped = set()          # runs a stop returned 200 for
        self.uncertain = {}           # own run IDs whose create got no answer or a 5xx -> DAG
        self.blind_creates = 0        # creates without own ID that got no answer or a 5xx
        self.counts = collections.Counter()       # (endpoint, status) -> n
        self.classes = collections.Counter()      # (endpoint, status, class) -> n
        self.latency = collections.defaultdict(list)
        self.failures = []
        self.create = TokenBucket(create_rate, max(2.0, create_rate))
        self.enqueue = {name: TokenBucket(cap * enqueue_scale, 2.0) for name, (_, _, cap) in DAGS.items()}
        self.phase = "warmup"

    def record_run(self, run_id, dag, via):
        with self.lock:
            if run_id in self.runs:
                self.duplicate_creates.append(run_id)
            else:
                self.runs[run_id] = {"dag": dag, "via": via, "phase": self.phase}
                self.order.append(run_id)

    def pick_run(self, recent=None):
        with self.lock:
            if not self.order:
                return None
            pool = self.order[-recent:] if recent else self.order
            run_id = random.choice(pool)
            return run_id, self.runs[run_id]["dag"]

    def count(self, endpoint, status, cls, elapsed=None):
        with self.lock:
            self.counts[(endpoint, status)] += 1
            self.classes[(endpoint, status, cls)] += 1
            if elapsed is not None:
                self.latency[endpoint].append(elapsed)

    def fail(self, text):
        with self.lock:
            self.failures.append(text)
            if len(self.failures) <= 30:
                print("FAILURE: " + text, flush=True)

# --- Workers -----------------------------------------------------------------------------------

def message(body):
    return body.get("message", "") if isinstance(body, dict) else repr(body)[:300]

def code(body):
    return body.get("code", "") if isinstance(body, dict) else ""

def one_op(client, state, rng):
    op = rng.choices([m[0] for m in MIX], weights=[m[1] for m in MIX])[0]
    if op in ("start", "enqueue"):
        dag = rng.choice(list(DAGS))
        allowed = state.create.take() and (op == "start" or state.enqueue[dag].take())
        if not allowed:
            op = rng.choice(["list_runs", "get_run", "run_log"])
    if op in ("stop", "get_run", "run_log", "step_log") and state.pick_run() is None:
        op = "list_dags"

    if op in ("start", "enqueue"):
        singleton = dag in ("sleep2", "sleep3") and rng.random() < 0.5
        body = {"singleton": True} if singleton else {}
        # Half the creates name their own run ID, so a run whose create failed (5xx, transport
        # error) can still be accounted for; the other half get a server-generated UUID v7.
        own = f"lt-{uuid.UUID(int=rng.getrandbits(128)).hex}" if rng.random() < 0.5 else None
        if own:
            body["dagRunId"] = own
        path = f"/dags/{dag}/{op}"
        with state.lock:
            if own:
                state.uncertain[own] = dag
            else:
                state.blind_creates += 1   # undone below unless the create fails without an answer
        status, reply, elapsed = client.request("POST", path, body)
        with state.lock:
            if own and status < 500:
                state.uncertain.pop(own, None)
            if not own and status < 500:
                state.blind_creates -= 1
        label = "POST " + path + (" {singleton}" if singleton else "") + (f" {{dagRunId: {own}}}" if own else "")
        if status == 200 and isinstance(reply, dict) and reply.get("dagRunId") and reply["dagRunId"] == (own or reply["dagRunId"]):
            state.record_run(reply["dagRunId"], dag, op)
            cls = "ok"
        elif status == 409 and singleton and code(reply) == "already_exists" and "singleton" in message(reply):
            cls = "singleton conflict"
        else:
            cls = "unexpected"
        return op, label, status, reply, elapsed, cls

    if op == "stop":
        run_id, dag = state.pick_run(recent=60 if rng.random() < 0.3 else None)
        path = f"/dag-runs/{dag}/{run_id}/stop"
        status, reply, elapsed = client.request("POST", path)
        if status == 200:
            cls = "ok"
            with state.lock:
                state.stopped.add(run_id)
        elif status == 400 and code(reply) == "not_running":
            cls = "not running (finished)"
        elif status == 400 and "being dispatched" in message(reply):
            # Claimed by the dispatcher, agent not yet running: the stop is refused (see LOAD.md).
            cls = "refused while being dispatched"
        else:
            cls = "unexpected"
        return op, "POST " + path, status, reply, elapsed, cls

    if op == "list_dags":
        path = f"/dags?perPage={rng.choice([10, 50, 200])}"
        status, reply, elapsed = client.request("GET", path)
        ok = status == 200 and isinstance(reply, dict) and len(reply.get("dags", [])) > 0
        return op, "GET " + path, status, reply, elapsed, "ok" if ok else "unexpected"

    if op == "list_runs":
        path = f"/dag-runs?limit={rng.choice([20, 50, 100])}"
        total = 0.0
        for _ in range(rng.randint(1, 3)):
            status, reply, elapsed = client.request("GET", path)
            total += elapsed
            if status != 200 or not isinstance(reply, dict) or "dagRuns" not in reply:
                return op, "GET " + path, status, reply, total, "unexpected"
            cursor = reply.get("nextCursor")
            if not cursor:
                break
            path = path.split("&cursor=")[0] + "&cursor=" + q(cursor)
        return op, "GET " + path, 200, reply, total, "ok"

    run_id, dag = state.pick_run()
    if op == "get_run":
        path = f"/dag-runs/{dag}/{run_id}"
        status, reply, elapsed = client.request("GET", path)
        ok = status == 200 and isinstance(reply, dict) and reply.get("dagRunDetails", {}).get("dagRunId") == run_id
        return op, "GET " + path, status, reply, elapsed, "ok" if ok else "unexpected"

    if op == "run_log":
        path = f"/dag-runs/{dag}/{run_id}/log?tail=50"
        status, reply, elapsed = client.request("GET", path)
        if status == 200 and isinstance(reply, dict) and "content" in reply:
            cls = "ok"
        elif status == 404 and message(reply).startswith("log file not found for dag-run"):
            cls = "no log yet"
        else:
            cls = "unexpected"
        return op, "GET " + path, status, reply, elapsed, cls

    step = DAGS[dag][1]
    path = f"/dag-runs/{dag}/{run_id}/steps/{step}/log" + rng.choice(["", "?stream=stderr", "?head=5"])
    status, reply, elapsed = client.request("GET", path)
    if status == 200 and isinstance(reply, dict) and "content" in reply:
        cls = "ok"
    elif status == 404 and message(reply).startswith("log file not found for step"):
        cls = "step not run yet"
    else:
        cls = "unexpected"
    return op, "GET " + path, status, reply, elapsed, cls

def worker(port, state, stop_at, seed, timeout):
    rng = random.Random(seed)
    client = Client(port, timeout)
    try:
        while time.monotonic() < stop_at:
            try:
                op, request, status, reply, elapsed, cls = one_op(client, state, rng)
            except (OSError, http.client.HTTPException) as error:
                state.count("transport", type(error).__name__, "unexpected")
                state.fail(f"transport error {type(error).__name__}: {error}")
                time.sleep(0.1)
                continue
            state.count(op, status, cls, elapsed)
            if status >= 500:
                state.fail(f"{request} -> {status} {json.dumps(reply)[:500] if not isinstance(reply, bytes) else reply[:500]!r}")
            elif cls == "unexpected":
                state.fail(f"{request} -> {status} (unexpected) {json.dumps(reply)[:500] if not isinstance(reply, bytes) else reply[:500]!r}")
    finally:
        client.close()

def run_phase(port, state, clients, seconds, seed, timeout):
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=worker, args=(port, state, stop_at, seed * 1000 + i, timeout), daemon=True)
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout + seconds + 60)
    stuck = [t for t in threads if t.is_alive()]
    if stuck:
        state.fail(f"{len(stuck)} client threads did not finish (requests hanging)")

class HealthProbe:
    """GET /health with curl (its own process, so the client threads' GIL does not skew it)
    every 0.5 s; stop() returns the latencies (s). A probe that fails counts as a failure."""

    def __init__(self, port):
        self.port, self.times, self.errors = port, [], []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.done.wait(0.5):
            try:
                out = subprocess.run(["curl", "-s", "--noproxy", "*", "-o", "/dev/null", "-m", "60", "-w",
                                      "%{http_code} %{time_total}", f"http://127.0.0.1:{self.port}/api/v1/health"],
                                     capture_output=True, text=True, timeout=90).stdout.split()
            except (OSError, subprocess.TimeoutExpired):
                return  # no curl: no probe
            if len(out) == 2 and out[0] == "200":
                self.times.append(float(out[1]))

    def stop(self):
        self.done.set()
        self.thread.join(100)
        return self.times

# --- Verification ------------------------------------------------------------------------------

def walk(client, path, limit=500):
    """Every item of a cursor-paginated /dag-runs listing: (items, pages). Raises on a non-200."""
    items, cursor, pages = [], None, 0
    sep = "&" if "?" in path else "?"
    while True:
        url = f"{path}{sep}limit={limit}" + (f"&cursor={q(cursor)}" if cursor else "")
        status, reply, _ = client.request("GET", url)
        if status != 200:
            raise RuntimeError(f"GET {url} -> {status} {reply!r:.300}")
        items.extend(reply["dagRuns"])
        pages += 1
        cursor = reply.get("nextCursor")
        if not cursor:
            return items, pages

def settle(client, state, timeout):
    """Wait until every created run is listed and terminal. Returns the last full listing."""
    deadline = time.monotonic() + timeout
    while True:
        items, pages = walk(client, "/dag-runs")
        seen = {item["dagRunId"]: item["status"] for item in items}
        with state.lock:
            wanted = set(state.runs)
        pending = [r for r in wanted if seen.get(r) not in TERMINAL]
        if not pending or time.monotonic() > deadline:
            return items, pages, pending
        time.sleep(1.0)

def fd_settle(server, before, margin, timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        now = server.fds()
        if now <= before + margin or time.monotonic() > deadline:
            return now
        time.sleep(0.5)

def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="20 clients for 10 s, memory reported only")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--binary", default=None)
    parser.add_argument("--create-rate", type=float, default=None,
                        help="runs created per second at most, all clients together (0 = unpaced)")
    parser.add_argument("--settle-timeout", type=float, default=120)
    parser.add_argument("--request-timeout", type=float, default=60)
    parser.add_argument("--fd-margin", type=int, default=8)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=1, help="load phases (each --duration, settled in between)")
    parser.add_argument("--server-env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for start-all (e.g. MALLOC_ARENA_MAX=2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary home")
    args = parser.parse_args()
    clients = args.clients or (20 if args.smoke else 200)
    duration = args.duration or (10.0 if args.smoke else 60.0)
    create_rate = args.create_rate if args.create_rate is not None else (4.0 if args.smoke else 8.0)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    binary = args.binary or next((p for p in (os.path.join(root, ".build/release/trellis"),
                                              os.path.join(root, ".build/debug/trellis")) if os.access(p, os.X_OK)), None)
    if not binary or not os.access(binary, os.X_OK):
        sys.exit("no trellis binary; build it with: swift build")
    random.seed(seed)
    print(f"load test: {clients} clients, {duration:.0f} s, create rate <= {create_rate:g} runs/s, seed {seed}, "
          f"binary {os.path.relpath(os.path.abspath(binary), root)}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    server = Server(os.path.abspath(binary), keep=args.keep, extra_env=args.server_env)
    problems = []
    try:
        control = Client(server.port, args.request_timeout)
        state = State(create_rate, enqueue_scale=1.0)

        # Warm-up: the same mix with every client for a few seconds, then settle, so the server's
        # per-connection buffers, caches and pools exist before the "before" measurement.
        warm_seconds = 2.0 if args.smoke else 5.0
        run_phase(server.port, state, clients, warm_seconds, seed, args.request_timeout)
        _, _, pending = settle(control, state, args.settle_timeout)
        if pending:
            problems.append(f"{len(pending)} warm-up runs not terminal, e.g. {pending[:3]}")
        control.close()
        time.sleep(1.0 if args.smoke else TRIM_PAUSE)
        fds_before, rss_before, threads_before = server.fds(), server.status_kib("VmRSS"), server.threads()
        anon_before = server.status_kib("RssAnon")
        fd_map_before = server.fd_targets()
        warm_runs = len(state.runs)
        print(f"warm-up: {clients} clients for {warm_seconds:.0f} s, {warm_runs} runs; server fds {fds_before}, "
              f"VmRSS {rss_before/1024:.1f} MiB, threads {threads_before}", flush=True)

        # Load (--rounds times; the RSS after each settled round shows a trend, not just a step).
        state.phase = "load"
        load_seconds, settle_seconds, probes, round_rss, server_cpu = 0.0, 0.0, [], [], 0.0
        round_split = []
        for round_ in range(args.rounds):
            created_before = len(state.runs)
            probe = HealthProbe(server.port)
            started, cpu0 = time.monotonic(), server.cpu_seconds()
            run_phase(server.port, state, clients, duration, seed + 1 + round_, args.request_timeout)
            load_seconds += time.monotonic() - started
            server_cpu += server.cpu_seconds() - cpu0
            probes += probe.stop()
            rss_peak_load = server.status_kib("VmRSS")
            print(f"round {round_ + 1}: load {time.monotonic() - started:.1f} s, {len(state.runs) - created_before} runs "
                  f"created; VmRSS at end of load {rss_peak_load/1024:.1f} MiB; settling...", flush=True)
            t0 = time.monotonic()
            items, pages, pending = settle(control, state, args.settle_timeout)
            settle_seconds = max(settle_seconds, time.monotonic() - t0)
            control.close()
            settled_in = time.monotonic() - t0
            if round_ + 1 < args.rounds:
                # The server returns free heap pages to the system every 10 s (HeapTrimService):
                # sample after one such pass, not in the middle of freed-but-kept memory.
                time.sleep(TRIM_PAUSE)
                round_rss.append(server.status_kib("VmRSS"))
                round_split.append((server.status_kib("RssAnon"), server.status_kib("RssFile")))
                print(f"round {round_ + 1}: settled in {settled_in:.1f} s; fds {server.fds()}, "
                      f"VmRSS {round_rss[-1]/1024:.1f} MiB (anonymous {round_split[-1][0]/1024:.1f}, "
                      f"file-backed {round_split[-1][1]/1024:.1f})", flush=True)
        runs = dict(state.runs)
        listed = collections.Counter(item["dagRunId"] for item in items)
        status_of = {item["dagRunId"]: item["status"] for item in items}
        name_of = {item["dagRunId"]: item["name"] for item in items}
        lost = sorted(r for r in runs if listed[r] == 0)
        duplicated = sorted(r for r, n in listed.items() if n > 1)
        unknown = sorted(r for r in listed if r not in runs)
        not_terminal = sorted(r for r in runs if listed[r] and status_of[r] not in TERMINAL)
        if pending:
            problems.append(f"{len(pending)} runs not terminal after {args.settle_timeout:.0f} s, e.g. "
                            + ", ".join(f"{runs[r]['dag']}/{r} status {status_of.get(r)}" for r in pending[:5]))
        if lost:
            problems.append(f"lost runs (created, not in GET /dag-runs): {len(lost)}, e.g. "
                            + ", ".join(f"{runs[r]['dag']}/{r}" for r in lost[:5]))
        if duplicated:
            problems.append(f"duplicated runs in GET /dag-runs: {len(duplicated)}, e.g. {duplicated[:5]}")
        # Runs whose create failed (5xx or no answer) may exist: named ones are recognised, unnamed
        # ones are attributed up to the number of such creates. Either way they must be terminal.
        maybe = [r for r in unknown if r in state.uncertain]
        unnamed = [r for r in unknown if r not in state.uncertain]
        attributed = unnamed if len(unnamed) <= state.blind_creates else []
        unknown = [r for r in unnamed if r not in attributed]
        for r in maybe + attributed:
            if status_of[r] not in TERMINAL:
                problems.append(f"run {r} of a failed create is not terminal (status {status_of[r]})")
        if unknown:
            problems.append(f"runs nobody created in GET /dag-runs: {len(unknown)}, e.g. {unknown[:5]}")
        if state.duplicate_creates:
            problems.append(f"dagRunIds returned by two creates: {state.duplicate_creates[:5]}")
        if not_terminal:
            problems.append(f"runs listed in a non-terminal status: {len(not_terminal)}")

        # Per-DAG listings and run details.
        per_dag_bad = []
        for name in DAGS:
            mine = {r for r, info in runs.items() if info["dag"] == name} | {r for r in maybe + attributed if name_of[r] == name}
            dag_items, _ = walk(control, f"/dag-runs/{name}")
            counted = collections.Counter(item["dagRunId"] for item in dag_items)
            if set(counted) != mine or any(n > 1 for n in counted.values()):
                per_dag_bad.append(f"{name}: listed {len(counted)} (dups {sum(n > 1 for n in counted.values())}), created {len(mine)}, "
                                   f"missing {len(mine - set(counted))}, extra {len(set(counted) - mine)}")
        if per_dag_bad:
            problems.append("per-DAG listing mismatch: " + "; ".join(per_dag_bad))
        detail_bad = []
        final_status = collections.Counter()
        def check_detail(run_id):
            """The run's details are terminal; its run log and first step's log are readable when
            the run (step) started, and 404 only when it never did (e.g. dequeued)."""
            dag = runs[run_id]["dag"]
            c = Client(server.port, args.request_timeout)
            try:
                status, reply, _ = c.request("GET", f"/dag-runs/{dag}/{run_id}")
                if status != 200:
                    return run_id, None, f"GET details -> {status}"
                d = reply["dagRunDetails"]
                status, reply, _ = c.request("GET", f"/dag-runs/{dag}/{run_id}/log")
                if not (status == 200 or (status == 404 and not d["startedAt"])):
                    return run_id, d["status"], f"run log -> {status} (startedAt {d['startedAt']!r}) {reply!r:.200}"
                step = DAGS[dag][1]
                node = next((n for n in d["nodes"] if n["step"]["name"] == step), None)
                if node is None:
                    return run_id, d["status"], f"step {step} missing from nodes"
                status, reply, _ = c.request("GET", f"/dag-runs/{dag}/{run_id}/steps/{step}/log")
                if not (status == 200 or (status == 404 and not node["stdout"])):
                    return run_id, d["status"], f"step log -> {status} (node status {node['status']}, stdout {node['stdout']!r}) {reply!r:.200}"
                return run_id, d["status"], None
            finally:
                c.close()
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(8) as pool:
            for run_id, st, err in pool.map(check_detail, list(runs)):
                if err or st not in TERMINAL:
                    detail_bad.append(f"{runs[run_id]['dag']}/{run_id}: {err or 'status %s' % st}")
                else:
                    final_status[TERMINAL[st]] += 1
                    if st != status_of.get(run_id):
                        detail_bad.append(f"{runs[run_id]['dag']}/{run_id}: details status {st} != listing {status_of.get(run_id)}")
        if detail_bad:
            problems.append(f"run details not terminal/consistent: {len(detail_bad)}, e.g. {detail_bad[:5]}")
        status, queues, _ = control.request("GET", "/queues")
        summary = queues.get("summary", {}) if isinstance(queues, dict) else {}
        if status != 200 or summary.get("totalRunning") or summary.get("totalQueued"):
            problems.append(f"GET /queues after settle -> {status} {summary}")
        control.close()

        # Leaks.
        time.sleep(1.0 if args.smoke else TRIM_PAUSE)
        fds_after = fd_settle(server, fds_before, args.fd_margin)
        rss_after, threads_after = server.status_kib("VmRSS"), server.threads()
        anon_after = server.status_kib("RssAnon")
        kids, zombies = server.children()
        fd_map_after = server.fd_targets()
        if fds_after > fds_before + args.fd_margin:
            grown = {k: fd_map_after[k] - fd_map_before.get(k, 0) for k in fd_map_after if fd_map_after[k] > fd_map_before.get(k, 0)}
            problems.append(f"fd leak: {fds_before} before, {fds_after} after (margin {args.fd_margin}); grown: {grown}")
        if zombies:
            problems.append(f"{zombies} zombie children of the server")
        rss_growth = rss_after - rss_before
        rss_note = "within" if rss_growth <= RSS_BUDGET_KIB else "OVER"
        # With several rounds, the verdict is the growth after round 1 (a leak keeps growing; the
        # allocator's high-water mark from the first round's peak concurrency does not). It is
        # taken on anonymous memory: file-backed pages of the binary are not held by Trellis.
        steady_growth = rss_after - round_rss[0] if round_rss else None
        verdict = anon_after - (round_split[0][0] if round_split else anon_before)
        if verdict > RSS_BUDGET_KIB and not args.smoke:
            problems.append(f"anonymous memory (RssAnon) grew {verdict/1024:.1f} MiB "
                            f"{'after round 1' if round_rss else 'over the load'} (budget {RSS_BUDGET_KIB/1024:.0f} MiB)")
        # Cost of a listing now that the history holds every run of the test (idle server).
        listing_times = []
        for _ in range(20):
            _, _, elapsed = control.request("GET", "/dag-runs?limit=20")
            listing_times.append(elapsed)
        control.close()
        if state.failures:
            problems.insert(0, f"{len(state.failures)} failed requests (5xx, unexpected status or transport error)")
        log_problems = server.log_problems()

        # Summary.
        print()
        print(f"requests by endpoint and status ({load_seconds:.1f} s load + {warm_seconds:.0f} s warm-up):")
        width = max(len(op) for op, _ in MIX)
        for op in [m[0] for m in MIX] + ["transport"]:
            keys = sorted((k for k in state.classes if k[0] == op), key=lambda k: str(k[1]))
            if not keys:
                continue
            lat = state.latency.get(op, [])
            parts = ", ".join(f"{k[1]} {k[2]}: {state.classes[k]}" for k in keys)
            extra = f"   p50 {percentile(lat, 50)*1000:.0f} ms, p99 {percentile(lat, 99)*1000:.0f} ms, max {max(lat)*1000:.0f} ms" if lat else ""
            print(f"  {op:{width}s}  {parts}{extra}")
        total = sum(state.counts.values())
        five = sum(n for (op, st), n in state.counts.items() if isinstance(st, int) and st >= 500)
        print(f"  total {total} responses ({total / (load_seconds + (2.0 if args.smoke else 4.0)):.0f}/s), 5xx: {five}, "
              f"failed requests: {len(state.failures)}")
        via = collections.Counter(info["via"] for info in runs.values())
        print(f"runs created: {len(runs)} ({warm_runs} in warm-up; start {via['start']}, enqueue {via['enqueue']}); "
              f"stop answered 200 for {len(state.stopped)}")
        print(f"runs verified: {len(runs) - len(lost) - len(detail_bad)} terminal and listed once "
              f"({', '.join(f'{k} {v}' for k, v in sorted(final_status.items()))}); settled in {settle_seconds:.1f} s")
        print(f"listing: {len(items)} runs in {pages} pages of GET /dag-runs; lost={len(lost)} duplicated={len(duplicated)} "
              f"unknown={len(unknown)} duplicate-creates={len(state.duplicate_creates)}")
        if maybe or attributed or state.uncertain or state.blind_creates:
            print(f"failed creates (5xx or no answer): {len(state.uncertain)} with own ID ({len(maybe)} of them exist), "
                  f"{state.blind_creates} without ({len(attributed)} unclaimed runs attributed to them); all terminal")
        print(f"server fds: before {fds_before}, after {fds_after} (margin {args.fd_margin}); threads {threads_before} -> "
              f"{threads_after}; children {kids}, zombies {zombies}")
        print(f"server VmRSS: before {rss_before/1024:.1f} MiB, end of load {rss_peak_load/1024:.1f} MiB, after "
              f"{rss_after/1024:.1f} MiB; growth {rss_growth/1024:+.1f} MiB ({rss_note} 5 MiB); "
              f"VmHWM {server.status_kib('VmHWM')/1024:.1f} MiB")
        print(f"server anonymous memory (RssAnon): before {anon_before/1024:.1f} MiB, after {anon_after/1024:.1f} MiB; "
              f"the verdict: {verdict/1024:+.1f} MiB {'after round 1' if round_rss else 'over the load'} "
              f"({'within' if verdict <= RSS_BUDGET_KIB else 'OVER'} the 5 MiB budget"
              f"{', reported only in smoke mode' if args.smoke else ''})")
        print(f"server CPU during load: {server_cpu:.1f} s in {load_seconds:.1f} s = {server_cpu / load_seconds * 100:.0f}% "
              f"of one core ({os.cpu_count()} cores; load average now {os.getloadavg()[0]:.1f})")
        if probes:
            print(f"GET /health by an independent curl every 0.5 s during load: {len(probes)} probes, p50 "
                  f"{percentile(probes, 50)*1000:.0f} ms, p99 {percentile(probes, 99)*1000:.0f} ms, max {max(probes)*1000:.0f} ms")
        if round_rss:
            print("VmRSS after each settled round: " + ", ".join(f"{v/1024:.1f}" for v in round_rss + [rss_after])
                  + f" MiB; growth after round 1 {steady_growth/1024:+.1f} MiB")
            split = round_split + [(server.status_kib("RssAnon"), server.status_kib("RssFile"))]
            print("  of which anonymous (heap, stacks): " + ", ".join(f"{a/1024:.1f}" for a, _ in split)
                  + " MiB; file-backed (the binary's pages as code paths are first used): "
                  + ", ".join(f"{f/1024:.1f}" for _, f in split) + " MiB")
        print(f"GET /dag-runs?limit=20 on the idle server after the test ({len(items)} runs today): median "
              f"{percentile(listing_times, 50)*1000:.1f} ms")
        if log_problems:
            print(f"server log: {len(log_problems)} error lines, e.g.:")
            for line in log_problems[:5]:
                print("  " + line[:300])
        if problems:
            print("\nFAIL:")
            for p in problems:
                print("  - " + p)
        else:
            print("\nPASS")
    finally:
        server.close()
    sys.exit(1 if problems else 0)

if __name__ == "__main__":
    main()
