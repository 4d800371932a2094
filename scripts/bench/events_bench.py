#!/usr/bin/env python3
"""Event log benchmark: GET /event-logs over 100,000 stored events.

Usage: scripts/bench/events_bench.py [--smoke] [--events N] [--days D] [--reps N] [--binary PATH]

Writes N events (default 100,000) spread over D UTC day files (default 7) into
data/events/ of a temporary home, in the shape the run store writes (API §8.2, with a
three-node `data`), starts `trellis server --port 0` on it and times requests:
  cold      the first GET /event-logs (indexes every day file)
  offset    GET /event-logs (first page, 50 entries, with total)
  deep      GET /event-logs?offset=N/2
  filtered  GET /event-logs?dagName=dag7&type=dag.run.failed (offset mode, with total)
  cursor    cursor mode: first page, then the next pages (limit 50)
  appended  an event is appended before each request (the grown file is indexed from where
            it stopped; the merged list is rebuilt)
Reports median/min/max in ms. --smoke uses 2,000 events and checks nothing (CI keeps it working).
"""
import argparse, datetime, hashlib, json, os, re, statistics, subprocess, sys, tempfile, time, urllib.request

TYPES = ["dag.run.queued", "dag.run.running", "dag.run.succeeded", "dag.run.failed", "dag.run.aborted"]
STATUS = {"dag.run.queued": (5, "queued"), "dag.run.running": (1, "running"), "dag.run.succeeded": (4, "succeeded"),
          "dag.run.failed": (2, "failed"), "dag.run.aborted": (3, "aborted")}

def stamp(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"

def event(index, ms):
    kind = TYPES[index % len(TYPES)]
    dag, run, attempt = f"dag{index % 50}", f"run{index // 5:07d}", f"att{index // 5:07d}"
    code, label = STATUS[kind]
    data = {"dag_run_status": {"root": {"name": dag, "dag_run_id": run}, "name": dag, "dag_run_id": run,
            "attempt_id": attempt, "proc_group": dag, "status": code, "log": f"/data/runs/{dag}/{run}/run.log",
            "started_at": stamp(ms), "nodes": [{"step_name": f"s{i}", "status": code} for i in range(3)]}}
    return {"id": "dag_" + hashlib.sha256(f"{kind}|{dag}|{run}|{attempt}".encode()).hexdigest(), "schemaVersion": 1,
            "occurredAt": stamp(ms), "recordedAt": stamp(ms), "kind": "dag_run", "type": kind, "sourceService": "cli",
            "sourceInstance": "bench:1", "dagName": dag, "dagRunId": run, "attemptId": attempt, "status": label, "data": data}

def write_events(directory, count, days):
    os.makedirs(directory, exist_ok=True)
    now = int(time.time() * 1000) - 60_000
    span = days * 86_400_000 - 120_000
    files = {}
    for index in range(count):
        ms = now - span + index * span // count
        day = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%d")
        if day not in files:
            files[day] = open(os.path.join(directory, day + ".jsonl"), "a")
        files[day].write(json.dumps(event(index, ms), separators=(",", ":")) + "\n")
    for handle in files.values():
        handle.close()
    return sorted(files)

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def get(base, query):
    start = time.perf_counter()
    with OPENER.open(base + "/api/v1/event-logs" + ("?" + query if query else "")) as reply:
        body = json.loads(reply.read())
    return (time.perf_counter() - start) * 1000, body

def summary(values):
    return f"{statistics.median(values):8.2f} {min(values):8.2f} {max(values):8.2f}"

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "../../.build/release/trellis"))
    args = parser.parse_args()
    count = 2_000 if args.smoke else args.events
    reps = 3 if args.smoke else args.reps
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"no trellis binary at {binary}; build it with: swift build -c release")
    home = tempfile.mkdtemp(prefix="trellis-events-bench-")
    os.makedirs(os.path.join(home, "dags"))
    started = time.perf_counter()
    days = write_events(os.path.join(home, "data", "events"), count, args.days)
    print(f"wrote {count} events in {len(days)} day files ({time.perf_counter() - started:.1f} s)")
    log = open(os.path.join(home, "server.out"), "w")
    server = subprocess.Popen([binary, "server", "--port", "0"], cwd=home, stdout=log, stderr=log,
                              env=dict(os.environ, TRELLIS_HOME=home, TRELLIS_LOG_LEVEL="error"))
    try:
        base = None
        deadline = time.time() + 60
        while base is None and time.time() < deadline:
            match = re.search(r"listening on 127\.0\.0\.1:(\d+)", open(os.path.join(home, "server.out")).read())
            if match:
                base = f"http://127.0.0.1:{match.group(1)}"
            else:
                time.sleep(0.05)
        if base is None:
            sys.exit("the server did not start")
        results = {}
        cold, body = get(base, "")
        assert body["total"] == count, body.get("total")
        results["cold"] = [cold]
        results["offset"] = [get(base, "")[0] for _ in range(reps)]
        results["deep"] = [get(base, f"offset={count // 2}")[0] for _ in range(reps)]
        results["filtered"] = [get(base, "dagName=dag7&type=dag.run.failed")[0] for _ in range(reps)]
        cursor_times, cursor = [], None
        for _ in range(reps):
            elapsed, body = get(base, "paginationMode=cursor" + (f"&cursor={cursor}" if cursor else ""))
            cursor_times.append(elapsed)
            cursor = body.get("nextCursor")
        results["cursor"] = cursor_times
        newest = os.path.join(home, "data", "events", days[-1] + ".jsonl")
        appended = []
        for index in range(reps):
            with open(newest, "a") as handle:
                handle.write(json.dumps(event(count + index, int(time.time() * 1000)), separators=(",", ":")) + "\n")
            appended.append(get(base, "")[0])
        results["appended"] = appended
        print(f"{'request':10} {'median':>8} {'min':>8} {'max':>8}  (ms, {reps} requests each)")
        for name, values in results.items():
            print(f"{name:10} {summary(values)}")
    finally:
        server.terminate()
        server.wait()
        subprocess.run(["rm", "-rf", home])

if __name__ == "__main__":
    main()
