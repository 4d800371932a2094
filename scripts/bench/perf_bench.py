#!/usr/bin/env python3
"""Performance budgets (issue 7): every measure side by side in one run, against its budget.

Usage: scripts/bench/perf_bench.py [--smoke] [--reps N] [--binary PATH] [--only MEASURE[,MEASURE]]
                                   [--markdown FILE] [--memory-runs N] [--seed-fsync]

Measures (each repeated --reps times, default 5; sizes in brackets are the full-mode ones):
  overhead  per-step overhead: a chain of [200] `true` steps started through the API
            (POST /dags/chain/start), wall = stored finishedAt - the moment before the POST;
            (chain - one-step run - [200] back-to-back `sh -c true` spawns) / 200
            (the spawn floor is engine_bench.py's `floor`, the formula is engine_bench.py's)
  parallel  [200] independent `true` steps (type: graph): (fan-out - one-step run) / (floor / cores);
            beside it, unbudgeted, the same [200] `sh -c true` started by xargs one at a time and
            all at once (-P [200]): what running them in parallel costs this machine by itself
            (overhead and parallel: at least [11] rounds of floor, one-step run, chain, fan-out)
  start     POST /dags/x/start -> the first step's process running: its first action writes
            `date +%s%N`, compared with the time taken just before the POST
  catalog   GET /dags?perPage=50 with [5,000] DAG files: plain, filtered by label, sorted by nextRun
  history   GET /dag-runs first page and 50th page (the cursors followed once, then the 50th page
            fetched again and again with its cursor) with [200,000] runs on disk, created by the
            hidden `trellis bench-seed-runs` through the store API
  reload    a new DAG file written into dags/ -> GET /dags/{name} answers 200
  cold      `trellis start-all` -> GET /health answers 200, with [5,000] DAG files
  memory    server VmRSS (/proc/<pid>/status) idle with [5,000] DAG files, then its growth after
            [10,000] runs started through the API
  queue     engine_bench.py's queue throughput and dispatch latency, when that script has them

Prints a table (median/min/max against the budget, PASS/MISS) with the machine's description, and
a markdown block for docs/BENCHMARKS.md (also written to --markdown FILE when given).
--smoke uses tiny sizes, checks no budget and finishes in well under a minute (CI keeps it working).
The binary defaults to the release build when present, else the debug build.
"""
import argparse, concurrent.futures, json, os, platform, re, shutil, socket, statistics, subprocess, sys, tempfile, time
import urllib.error, urllib.request
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import engine_bench  # noqa: E402  (floor: the spawn floor; queue_bench when present)

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MEASURES = ["overhead", "parallel", "start", "catalog", "history", "reload", "cold", "memory", "queue"]
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# --- Helpers ---------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def http(method, url, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with OPENER.open(request, timeout=timeout) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, OSError):
        return None, b""

def timed_get(url):
    start = time.perf_counter()
    status, body = http("GET", url)
    elapsed = time.perf_counter() - start
    if status != 200:
        sys.exit(f"GET {url} answered {status}: {body[:300]!r}")
    return elapsed, json.loads(body)

def rss_kib(pid, field="VmRSS"):
    """A memory line of /proc/<pid>/status in KiB (VmRSS, or its parts RssAnon and RssFile)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0

# The server hands free heap pages back every 10 s (HeapTrimService): memory is sampled after
# one such pass, not in the middle of freed-but-kept memory.
TRIM_PAUSE = 11.0

def iso(text):
    return datetime.fromisoformat(text).timestamp() if text else None

def clean_env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_") and k.lower() not in ("http_proxy", "https_proxy")}
    env["TRELLIS_HOME"] = home
    env["TRELLIS_LOG_LEVEL"] = "warning"
    return env

class Home:
    """A temporary Trellis home (dags/, data/)."""

    def __init__(self, prefix, parent=None):
        self.path = tempfile.mkdtemp(prefix=f"trellis-perf-{prefix}-", dir=parent)
        self.dags = os.path.join(self.path, "dags")
        self.data = os.path.join(self.path, "data")
        os.makedirs(self.dags)

    def dag(self, name, text):
        with open(os.path.join(self.dags, name + ".yaml"), "w") as f:
            f.write(text)

    def remove(self):
        shutil.rmtree(self.path, ignore_errors=True)

    def snapshot(self, dag, run_id):
        """The run's latest stored snapshot (ms precision), or None."""
        return engine_bench.stored_snapshot(self.data, dag, run_id)

    def ended(self, dag, run_id, timeout=300, poll=0.02):
        """The run's final snapshot. Walls are taken from its stored finishedAt, so the polling
        interval does not change a figure; it is kept long because each poll reads and parses
        the whole status line, and on two cores a 3 ms poll took about 8% of the CPU the
        measured run was competing for (the spawn floor runs with no poller)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            snap = self.snapshot(dag, run_id)
            if snap and snap.get("finishedAt") and snap["status"] not in (0, 1, 5):
                if snap["status"] != 4:
                    sys.exit(f"run {dag}/{run_id} ended with status {snap['status']}: {snap.get('error')}")
                return snap
            time.sleep(poll)
        sys.exit(f"run {dag}/{run_id} did not end within {timeout} s")

def write_catalog(home, n):
    """n DAG files: labels team=t0..t6 and tierN; every third one a yearly schedule (never fires
    during the bench, but gives it a nextRun)."""
    for i in range(n):
        lines = [f"description: generated DAG {i}", f"labels: team=t{i % 7}, tier{i % 3}"]
        if i % 3 == 0:
            lines.append(f'schedule: "{i % 60} {(i // 60) % 24} 1 1 *"')
        lines += ["steps:", f"  - {{name: a, command: \"echo {i}\"}}", "  - {name: b, command: \"true\"}"]
        home.dag(f"dag-{i:05d}", "\n".join(lines) + "\n")

class Server:
    """`trellis server` (or start-all) on a free port of 127.0.0.1; ready when /health answers."""

    def __init__(self, binary, home, command="server", timeout=300):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        self.home = home
        self.log_path = os.path.join(home.path, f"{command}.log")
        self.log = open(self.log_path, "a")
        self.started = time.perf_counter()
        self.process = subprocess.Popen([binary, command, "--port", str(self.port)], cwd=home.path, env=clean_env(home.path),
                                        stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.time() + timeout
        while time.time() < deadline and self.process.poll() is None:
            status, _ = http("GET", self.base + "/health", timeout=5)
            if status == 200:
                self.ready = time.perf_counter() - self.started
                return
            time.sleep(0.002)
        self.close()
        sys.exit(f"trellis {command} did not answer /health:\n" + open(self.log_path).read()[-3000:])

    def wait_catalog(self, total, timeout=300):
        """Until GET /dags reports `total` DAG files."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            status, body = http("GET", self.base + "/dags?perPage=1")
            if status == 200 and json.loads(body)["pagination"]["totalRecords"] >= total:
                return
            time.sleep(0.01)
        sys.exit(f"the catalog did not reach {total} DAGs")

    def start(self, dag):
        status, body = http("POST", self.base + f"/dags/{dag}/start", {})
        if status != 200:
            sys.exit(f"POST /dags/{dag}/start answered {status}: {body[:300]!r}")
        return json.loads(body)["dagRunId"]

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

def stats(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}

# --- Measures --------------------------------------------------------------------------------
# Each returns rows: (measure, what, unit, values, budget text, check(stats) -> bool or None)

def engine_measures(binary, size, reps, which):
    home = Home("engine")
    home.dag("chain", "shell: sh\nsteps:\n" + "".join(f"  - {{name: s{i}, command: \"true\"}}\n" for i in range(size["steps"])))
    home.dag("fanout", "shell: sh\ntype: graph\nsteps:\n" + "".join(f"  - {{name: s{i}, command: \"true\"}}\n" for i in range(size["steps"])))
    home.dag("empty", "shell: sh\nsteps:\n  - {name: only, command: \"true\"}\n")
    stamp = os.path.join(home.path, "first-step.ns")
    home.dag("startlat", f"shell: sh\nsteps:\n  - {{name: first, command: 'date +%s%N > {stamp}'}}\n")
    server = Server(binary, home)
    rows = []
    try:
        def wall(dag):
            before = time.time()
            run_id = server.start(dag)
            return iso(home.ended(dag, run_id)["finishedAt"]) - before
        n, cores = size["steps"], os.cpu_count() or 1
        wall("empty")  # warm-up: page cache, first agent
        if "overhead" in which or "parallel" in which:
            results = {"floor": [], "empty": [], "chain": [], "fanout": [], "xargs1": [], "xargsN": []}
            # At least 11 rounds: one round takes half a second, and on two cores a single
            # fan-out varies by a third from one round to the next.
            for _ in range(max(reps, size["engine_reps"])):
                results["floor"].append(engine_bench.floor(n))
                results["empty"].append(wall("empty"))
                if "overhead" in which:
                    results["chain"].append(wall("chain"))
                if "parallel" in which:
                    results["fanout"].append(wall("fanout"))
                    results["xargs1"].append(engine_bench.xargs_floor(n, 1))
                    results["xargsN"].append(engine_bench.xargs_floor(n, n))
            rows.append(("overhead", f"spawn floor: {n} x sh -c true", "ms", [v * 1000 for v in results["floor"]], "", None))
            rows.append(("overhead", "one-step run via API", "ms", [v * 1000 for v in results["empty"]], "", None))
            if "overhead" in which:
                per_step = [(c - e - f) / n * 1000 for c, e, f in zip(results["chain"], results["empty"], results["floor"])]
                rows.append(("overhead", f"chain of {n} via API", "ms", [v * 1000 for v in results["chain"]], "", None))
                rows.append(("overhead", "per-step overhead", "ms", per_step, "<= 1 ms", lambda s: s["median"] <= 1.0))
            if "parallel" in which:
                ratio = [(fo - e) / (f / cores) for fo, e, f in zip(results["fanout"], results["empty"], results["floor"])]
                rows.append(("parallel", f"fan-out of {n} via API", "ms", [v * 1000 for v in results["fanout"]], "", None))
                rows.append(("parallel", f"fan-out / (floor / {cores} cores)", "x", ratio, "<= 1.5x", lambda s: s["median"] <= 1.5))
                # The same processes started by xargs: once one at a time, once all at once. What
                # the second costs over the first / cores is the machine's, not Trellis's.
                rows.append(("parallel", f"xargs: {n} x sh -c true, one at a time", "ms", [v * 1000 for v in results["xargs1"]], "", None))
                rows.append(("parallel", f"xargs: {n} x sh -c true, all at once", "ms", [v * 1000 for v in results["xargsN"]], "", None))
                rows.append(("parallel", f"xargs all at once / (one at a time / {cores})", "x",
                             [a / (o / cores) for a, o in zip(results["xargsN"], results["xargs1"])], "", None))
                rows.append(("parallel", "fan-out / xargs all at once", "x",
                             [(fo - e) / a for fo, e, a in zip(results["fanout"], results["empty"], results["xargsN"])], "", None))
        if "start" in which:
            latencies = []
            for _ in range(max(reps, size["start_reps"])):
                if os.path.exists(stamp):
                    os.unlink(stamp)
                before = time.time_ns()
                run_id = server.start("startlat")
                home.ended("startlat", run_id)
                with open(stamp) as f:
                    latencies.append((int(f.read().strip()) - before) / 1e6)
            rows.append(("start", "POST start -> first step running", "ms", latencies, "<= 20 ms median", lambda s: s["median"] <= 20))
    finally:
        server.close()
        home.remove()
    return rows

def catalog_measures(binary, size, reps, which):
    home = Home("catalog")
    write_catalog(home, size["dags"])
    rows = []
    try:
        if "cold" in which:
            colds, fulls = [], []
            for _ in range(reps):
                server = Server(binary, home, command="start-all")
                colds.append(server.ready * 1000)
                server.wait_catalog(size["dags"])
                fulls.append((time.perf_counter() - server.started) * 1000)
                server.close()
            rows.append(("cold", f"start-all -> /health 200, {size['dags']} DAGs", "ms", colds, "<= 1 s", lambda s: s["median"] <= 1000))
            rows.append(("cold", f"start-all -> GET /dags lists all {size['dags']}", "ms", fulls, "", None))
        if not ({"catalog", "reload", "memory"} & set(which)):
            return rows
        server = Server(binary, home, command="start-all")
        try:
            server.wait_catalog(size["dags"])
            pause = 0.5 if size["smoke"] else TRIM_PAUSE
            time.sleep(pause if "memory" in which else 0.5)
            if "memory" in which:
                pid = server.process.pid
                idle = rss_kib(pid) / 1024
                idle_split = (rss_kib(pid, "RssAnon") / 1024, rss_kib(pid, "RssFile") / 1024)
                # The views a UI polls, once: what a first GET /dags costs in memory is not growth.
                timed_get(server.base + "/dag-runs?limit=100")
                timed_get(server.base + "/dags?perPage=50")
                time.sleep(pause)
                warm = rss_kib(pid) / 1024
            if "catalog" in which:
                queries = [("plain", "/dags?perPage=50"), ("label", "/dags?perPage=50&labels=team=t3"),
                           ("nextRun", "/dags?perPage=50&sort=nextRun")]
                for name, path in queries:
                    timed_get(server.base + path)  # warm-up
                    values = [timed_get(server.base + path)[0] * 1000 for _ in range(max(reps, size["requests"]))]
                    rows.append(("catalog", f"GET {path} ({size['dags']} DAGs)", "ms", values, "<= 10 ms median", lambda s: s["median"] <= 10))
            if "reload" in which:
                values = []
                for i in range(reps):
                    name = f"fresh-{i}-{os.getpid()}"
                    written = time.perf_counter()
                    path = os.path.join(home.dags, name + ".yaml")
                    with open(path + ".tmp", "w") as f:
                        f.write("steps:\n  - {name: a, command: \"true\"}\n")
                    os.rename(path + ".tmp", path)
                    deadline = time.time() + 10
                    while time.time() < deadline:
                        status, _ = http("GET", server.base + f"/dags/{name}")
                        if status == 200:
                            break
                        time.sleep(0.001)
                    else:
                        sys.exit(f"{name} not visible after 10 s")
                    values.append((time.perf_counter() - written) * 1000)
                rows.append(("reload", "new file in dags/ -> GET /dags/{name} 200", "ms", values, "<= 100 ms", lambda s: s["median"] <= 100))
            if "memory" in which:
                home.dag("memrun", "shell: sh\nsteps:\n  - {name: only, command: \"true\"}\n")
                deadline = time.time() + 30
                while http("GET", server.base + "/dags/memrun")[0] != 200 and time.time() < deadline:
                    time.sleep(0.01)
                samples = [warm]
                total, done = size["memory_runs"], 0
                chunk = max(1, total // 5)
                while done < total:
                    batch = min(chunk, total - done)
                    with concurrent.futures.ThreadPoolExecutor(4) as pool:
                        ids = list(pool.map(lambda _: server.start("memrun"), range(batch)))
                    for run_id in ids:
                        home.ended("memrun", run_id)
                    done += batch
                    # the server's own history views, as a UI would poll them
                    timed_get(server.base + "/dag-runs?limit=100")
                    timed_get(server.base + "/dags?perPage=50")
                    time.sleep(pause)
                    samples.append(rss_kib(pid) / 1024)
                    split = (rss_kib(pid, "RssAnon") / 1024, rss_kib(pid, "RssFile") / 1024)
                rows.append(("memory", f"server VmRSS idle, {size['dags']} DAGs", "MiB", [idle], "<= 40 MiB", lambda s: s["median"] <= 40))
                rows.append(("memory", "… of which anonymous (heap, stacks)", "MiB", [idle_split[0]], "", None))
                rows.append(("memory", "… of which file-backed (the binary's mapped pages)", "MiB", [idle_split[1]], "", None))
                rows.append(("memory", "server VmRSS after one GET /dags and /dag-runs", "MiB", [warm], "", None))
                rows.append(("memory", f"VmRSS growth after {total} runs (samples every {chunk})", "MiB",
                             [s - warm for s in samples[1:]], "<= 5 MiB", lambda s: s["max"] <= 5))
                rows.append(("memory", f"… after {total} runs, anonymous", "MiB", [split[0]], "", None))
                rows.append(("memory", f"… after {total} runs, file-backed", "MiB", [split[1]], "", None))
        finally:
            server.close()
    finally:
        home.remove()
    return rows

def nofsync_library(workdir):
    """An LD_PRELOAD library whose fsync/fdatasync do nothing: seeding is bench setup, its
    durability does not matter, and createRun fsyncs ~10 times per run. None without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        return None
    source, library = os.path.join(workdir, "nofsync.c"), os.path.join(workdir, "nofsync.so")
    with open(source, "w") as f:
        f.write("int fsync(int fd) { (void)fd; return 0; }\nint fdatasync(int fd) { (void)fd; return 0; }\n")
    result = subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", library, source], capture_output=True)
    return library if result.returncode == 0 else None

def scratch_parent(gib):
    """/dev/shm when it has `gib` GiB free (tmpfs: a seeded history of 200,000 runs is ~1.6 M
    files, and deleting them from a disk mounted with `discard` takes far longer than the
    bench), else the default temporary folder."""
    try:
        info = os.statvfs("/dev/shm")
        if info.f_bavail * info.f_frsize >= gib * 2**30 and os.access("/dev/shm", os.W_OK):
            return "/dev/shm"
    except OSError:
        pass
    return None

def history_measures(binary, size, reps, which, seed_fsync):
    home = Home("history", parent=scratch_parent(8) if size["runs"] > 10000 else None)
    print(f"  history home: {home.path}", flush=True)
    rows = []
    try:
        home.dag("bench", "steps:\n  - {name: only, command: \"true\"}\n")
        env = clean_env(home.path)
        library = None if seed_fsync else nofsync_library(home.path)
        if library:
            env["LD_PRELOAD"] = library
        started = time.perf_counter()
        seed = subprocess.run([binary, "bench-seed-runs", "--dag", "bench", "--count", str(size["runs"]),
                               "--days", str(size["days"]), "--jobs", "4"], cwd=home.path, env=env, capture_output=True, text=True)
        if seed.returncode != 0:
            sys.exit(f"bench-seed-runs failed:\n{seed.stdout}{seed.stderr}")
        print(f"  seeded: {seed.stdout.strip()} (fsync {'on' if not library else 'off via LD_PRELOAD'}; "
              f"{time.perf_counter() - started:.0f} s)", flush=True)
        server = Server(binary, home)
        try:
            first = server.base + "/dag-runs"
            timed_get(first)
            values = [timed_get(first)[0] * 1000 for _ in range(max(reps, size["requests"]))]
            rows.append(("history", f"GET /dag-runs page 1 ({size['runs']} runs)", "ms", values, "<= 20 ms median", lambda s: s["median"] <= 20))
            page1 = statistics.median(values)
            cursor, pages = None, size["pages"]
            for _ in range(pages - 1):
                _, body = timed_get(first + ("?cursor=" + urllib.request.quote(cursor) if cursor else ""))
                cursor = body.get("nextCursor")
                if not cursor:
                    sys.exit("history ended before page %d" % pages)
            url = first + "?cursor=" + urllib.request.quote(cursor)
            timed_get(url)
            values = [timed_get(url)[0] * 1000 for _ in range(max(reps, size["requests"]))]
            rows.append(("history", f"GET /dag-runs page {pages} (its cursor)", "ms", values, "<= 20 ms median", lambda s: s["median"] <= 20))
            ratio = statistics.median(values) / page1
            rows.append(("history", f"page {pages} / page 1 (medians)", "x", [ratio], "<= 2x", lambda s: s["median"] <= 2))
        finally:
            server.close()
    finally:
        started = time.perf_counter()
        home.remove()
        if size["runs"] > 10000:
            print(f"  removed the seeded home in {time.perf_counter() - started:.0f} s", flush=True)
    return rows

def queue_measures(binary, size, reps, which):
    queue_bench = getattr(engine_bench, "queue_bench", None)
    if queue_bench is None:
        return [("queue", "engine_bench.py has no queue_bench: skipped", "", [], "", None)]
    q = queue_bench(binary, n=size["queue_runs"], latency_runs=max(reps, size["queue_latency_runs"]))
    rate = q["n"] / q["total_seconds"]
    return [("queue", "dispatch latency, POST enqueue -> running", "ms", [v * 1000 for v in q["latency"]], "< 50 ms median", lambda s: s["median"] < 50),
            ("queue", f"throughput, {q['n']} runs, max_concurrency {q['concurrency']}", "runs/s", [rate], ">= 30 runs/s", lambda s: s["median"] >= 30)]

# --- Report ----------------------------------------------------------------------------------

def machine_info(binary):
    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"
    model, mem = "?", "?"
    try:
        model = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
        mem_kib = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
        mem = f"{mem_kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    config = "release" if "/release/" in binary else "debug" if "/debug/" in binary else "?"
    return {"cores (nproc)": first_line(["nproc"]), "CPU": model, "memory": mem, "kernel": platform.release(),
            "swift": first_line(["swift", "--version"]), "build": f"{config} ({binary})",
            "load average": " ".join(f"{x:.2f}" for x in os.getloadavg())}

def fmt(value, unit):
    return f"{value:.2f}" if unit in ("ms", "x") or abs(value) < 100 else f"{value:.0f}"

def report(rows, info, smoke, command):
    print()
    for key, value in info.items():
        print(f"{key:14s} {value}")
    header = f"{'measure':9s} {'what':55s} {'unit':6s} {'median':>9s} {'min':>9s} {'max':>9s} {'n':>4s}  {'budget':16s} result"
    print(header)
    print("-" * len(header))
    md = ["", f"Command: `{command}`", ""]
    md += [f"- {key}: {value}" for key, value in info.items()]
    md += ["", "| measure | what | median | min | max | n | budget | result |", "|---|---|---|---|---|---|---|---|"]
    misses = []
    for measure, what, unit, values, budget, check in rows:
        if not values:
            print(f"{measure:9s} {what}")
            md.append(f"| {measure} | {what} | | | | | | |")
            continue
        s = stats(values)
        result = "" if check is None else ("-" if smoke else ("PASS" if check(s) else "MISS"))
        if result == "MISS":
            misses.append(f"{measure}: {what}")
        print(f"{measure:9s} {what:55s} {unit:6s} {fmt(s['median'], unit):>9s} {fmt(s['min'], unit):>9s} {fmt(s['max'], unit):>9s} "
              f"{s['n']:>4d}  {budget:16s} {result}")
        md.append(f"| {measure} | {what} | {fmt(s['median'], unit)} {unit} | {fmt(s['min'], unit)} | {fmt(s['max'], unit)} | {s['n']} | {budget} | {result} |")
    print()
    print("MISS: " + ("; ".join(misses) if misses else "none"))
    return "\n".join(md) + "\n"

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, no budgets, well under a minute")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--binary", help="default: .build/release/trellis if present, else .build/debug/trellis")
    parser.add_argument("--only", help="comma-separated measures: " + ", ".join(MEASURES))
    parser.add_argument("--markdown", help="also write the markdown block to this file")
    parser.add_argument("--seed-fsync", action="store_true", help="seed history with the store's fsyncs (slow)")
    parser.add_argument("--memory-runs", type=int, help="runs for the memory growth measure (default 10,000)")
    args = parser.parse_args()
    if args.binary:
        binary = os.path.abspath(args.binary)
    else:
        release = os.path.join(ROOT, ".build", "release", "trellis")
        binary = release if os.access(release, os.X_OK) else os.path.join(ROOT, ".build", "debug", "trellis")
        binary = os.path.realpath(binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"no trellis binary at {binary}; build it with: swift build -c release")
    which = MEASURES if not args.only else [m.strip() for m in args.only.split(",")]
    unknown = [m for m in which if m not in MEASURES]
    if unknown:
        sys.exit(f"unknown measure {unknown[0]}; choose from {', '.join(MEASURES)}")
    if args.smoke:
        size = dict(steps=10, start_reps=3, engine_reps=1, dags=100, requests=3, runs=600, days=3, pages=3, memory_runs=20,
                    queue_runs=12, queue_latency_runs=3, smoke=True)
        reps = 1 if args.reps == 5 else args.reps
    else:
        size = dict(steps=200, start_reps=20, engine_reps=11, dags=5000, requests=20, runs=200_000, days=100, pages=50, memory_runs=10_000,
                    queue_runs=500, queue_latency_runs=50, smoke=False)
        reps = args.reps
    if args.memory_runs:
        size["memory_runs"] = args.memory_runs
    command = "python3 scripts/bench/perf_bench.py " + " ".join(sys.argv[1:])
    rows, started = [], time.perf_counter()
    groups = [("overhead,parallel,start", engine_measures), ("cold,catalog,reload,memory", catalog_measures),
              ("history", lambda b, s, r, w: history_measures(b, s, r, w, args.seed_fsync)), ("queue", queue_measures)]
    for names, function in groups:
        wanted = [m for m in names.split(",") if m in which]
        if wanted:
            print(f"running {', '.join(wanted)} ...", flush=True)
            measured = function(binary, size, reps, wanted)
            for row in measured:
                if row[3]:
                    s = stats(row[3])
                    print(f"  {row[1]}: median {fmt(s['median'], row[2])} {row[2]} (min {fmt(s['min'], row[2])}, "
                          f"max {fmt(s['max'], row[2])}, n={s['n']})", flush=True)
            rows += measured
    md = report(rows, machine_info(binary), args.smoke, command.strip())
    print(f"total time {time.perf_counter() - started:.0f} s\n\nmarkdown for docs/BENCHMARKS.md:\n{md}")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(md)

if __name__ == "__main__":
    main()
