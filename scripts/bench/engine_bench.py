#!/usr/bin/env python3
"""Run-engine benchmark: per-step overhead and fan-out against the process-spawn floor; queue
throughput and dispatch latency.

Usage: scripts/bench/engine_bench.py [--smoke] [--reps N] [--binary PATH] [--measure all|engine|queue]
                                     [--queue-runs N] [--latency-runs R]

Measures, in the same run on the same machine:
  floor     N back-to-back `sh -c true` spawns (the physical cost of the steps themselves)
  chain     `trellis start` of a chain of N steps running `true`
  fanout    `trellis start` of N independent `true` steps (type: graph)
  empty     `trellis start` of a one-step DAG (fixed cost: process start, load, store)
and reports per-step overhead = (chain - empty - floor) / N, and fan-out wall time against
floor / cores.

The queue measure runs `trellis start-all --port 0` on a temporary home whose config declares a
global queue `bench` with max_concurrency 4, and a one-step DAG (`true`) on that queue:
  dispatch  R runs enqueued one at a time into the idle queue (POST /dags/qb/enqueue), each
            waited for: latency = the run's stored startedAt (the agent's `running` snapshot,
            ms precision) - the moment the POST returned
  through   N runs enqueued by 8 client threads: N / (last run's finishedAt - first POST)

--smoke uses small sizes and checks nothing, so CI keeps the script working.
"""
import argparse, concurrent.futures, glob, json, os, re, signal, statistics, subprocess, sys, tempfile, time
import urllib.request
from datetime import datetime

def timed(cmd, env, cwd):
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start

def floor(n):
    start = time.perf_counter()
    for _ in range(n):
        subprocess.run(["sh", "-c", "true"], check=True)
    return time.perf_counter() - start

def xargs_floor(n, at_once):
    """n `sh -c true` started by xargs, `at_once` of them at a time: the same processes with a
    small C program instead of Python between them. With at_once = n they all start together,
    as a fan-out starts them, and the machine's own cost of running them in parallel shows."""
    start = time.perf_counter()
    subprocess.run(["xargs", "-P", str(at_once), "-n", "1", "sh", "-c", "true"], input=b"x\n" * n,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start

def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}

# --- Queue: throughput and dispatch latency through `trellis start-all` ---------------------

def iso(text):
    return datetime.fromisoformat(text).timestamp() if text else None

def stored_snapshot(data, dag, run_id):
    """A run's latest stored snapshot: the last complete line of its latest attempt's
    status.jsonl, found through data/runs/<dag>/by-id/<run_id>; None when there is none yet."""
    try:
        with open(os.path.join(data, "runs", dag, "by-id", run_id)) as f:
            folder = os.path.join(data, "runs", f.read().strip())
        attempts = sorted(glob.glob(os.path.join(folder, "attempts", "*", "status.jsonl")))
        with open(attempts[-1], "rb") as f:
            lines = f.read().splitlines()
    except (OSError, IndexError):
        return None
    for line in reversed(lines):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


class QueueBench:
    """A temporary home with the global queue `bench` (max_concurrency 4), served by start-all."""

    def __init__(self, binary, concurrency=4):
        self.home = tempfile.mkdtemp(prefix="trellis-qbench-")
        self.data = os.path.join(self.home, "data")
        os.makedirs(os.path.join(self.home, "dags"))
        with open(os.path.join(self.home, "trellis.yaml"), "w") as f:
            f.write(f"queues:\n  - name: bench\n    max_concurrency: {concurrency}\n")
        with open(os.path.join(self.home, "dags", "qb.yaml"), "w") as f:
            f.write("queue: bench\nshell: sh\nsteps:\n  - {name: only, command: \"true\"}\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_")}
        env["TRELLIS_HOME"] = self.home
        env["TRELLIS_LOG_LEVEL"] = "warning"
        self.log_path = os.path.join(self.home, "start-all.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([binary, "start-all", "--port", "0"], cwd=self.home, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.time() + 120
        port = None
        while time.time() < deadline and self.process.poll() is None:
            text = open(self.log_path).read()
            match = re.search(r"listening on 127\.0\.0\.1:(\d+)", text)
            if match and "trellis scheduler is the leader" in text:
                port = int(match.group(1))
                break
            time.sleep(0.02)
        if port is None:
            output = open(self.log_path).read()
            self.close()
            sys.exit("trellis start-all did not start:\n" + output)
        self.base = f"http://127.0.0.1:{port}/api/v1"

    def enqueue(self):
        request = urllib.request.Request(self.base + "/dags/qb/enqueue", data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json"})
        with self.opener.open(request, timeout=60) as reply:
            return json.load(reply)["dagRunId"]

    def snapshot(self, run_id):
        """The run's latest stored snapshot (status.jsonl of its latest attempt), or None."""
        return stored_snapshot(self.data, "qb", run_id)

    def ended(self, run_id, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            snap = self.snapshot(run_id)
            if snap and snap.get("finishedAt") and snap["status"] not in (0, 1, 5):
                return snap
            time.sleep(0.005)
        sys.exit(f"run {run_id} did not end within {timeout} s")

    def settled(self):
        """Run IDs with a `done` or `drop` record in the queue file."""
        try:
            with open(os.path.join(self.data, "queues", "bench.jsonl"), "rb") as f:
                text = f.read()
        except OSError:
            return set()
        ids = set()
        for line in text.splitlines():
            if b'"op":"done"' in line or b'"op":"drop"' in line:
                try:
                    ids.add(json.loads(line)["runId"])
                except ValueError:
                    pass
        return ids

    def cpu(self):
        """CPU seconds of start-all itself (API, dispatcher) and of its reaped children (run
        agents and their steps), from /proc (Linux)."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            return (0.0, 0.0)
        tick = os.sysconf("SC_CLK_TCK")
        return ((int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick)

    def records(self):
        """The records of the queue file, in order."""
        with open(os.path.join(self.data, "queues", "bench.jsonl"), "rb") as f:
            return [json.loads(line) for line in f.read().splitlines() if line.strip()]

    def close(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        subprocess.run(["rm", "-rf", self.home])

def most_at_once(intervals):
    events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    open_, most = 0, 0
    for _, delta in events:
        open_ += delta
        most = max(most, open_)
    return most

def queue_bench(binary, n, latency_runs, concurrency=4):
    bench = QueueBench(binary, concurrency)
    try:
        # Dispatch latency: one run at a time into the idle queue.
        latencies, queued_to_running, agent_to_step, returns, starts = [], [], [], {}, {}
        for _ in range(latency_runs):
            run_id = bench.enqueue()
            returned = time.time()
            snap = bench.ended(run_id)
            if snap["status"] != 4:
                sys.exit(f"run {run_id} ended with status {snap['status']}: {snap.get('error')}")
            started = iso(snap["startedAt"])
            returns[run_id], starts[run_id] = returned, started
            latencies.append(started - returned)
            queued_to_running.append(started - iso(snap["queuedAt"]))
            agent_to_step.append(iso(snap["nodes"][0]["startedAt"]) - started)
        # Where the latency goes, from the queue file's own times (ms precision; an enqueue
        # record carries the run's queuedAt, taken before the run record is written).
        enqueued_at, claimed_at = {}, {}
        for record in bench.records():
            if record["runId"] in returns:
                target = enqueued_at if record["op"] == "enqueue" else claimed_at if record["op"] == "claim" else None
                if target is not None:
                    target.setdefault(record["runId"], iso(record["at"]))
        api_tail = [returns[r] - enqueued_at[r] for r in returns]
        to_claim = [claimed_at[r] - returns[r] for r in returns]
        claim_to_running = [starts[r] - claimed_at[r] for r in returns]
        # Throughput: n runs enqueued as fast as 8 clients can.
        cpu_before = bench.cpu()
        first_post = time.time()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(lambda _: bench.enqueue(), range(n)))
        enqueued = time.time()
        deadline = time.time() + max(120, n)
        wanted = set(ids)
        while time.time() < deadline and not wanted <= bench.settled():
            time.sleep(0.05)
        snaps = [bench.ended(run_id, timeout=30) for run_id in ids]
        cpu_after = bench.cpu()
        failed = [s["run"]["id"] for s in snaps if s["status"] != 4]
        if failed:
            sys.exit(f"{len(failed)} queued runs did not succeed, e.g. {failed[0]}")
        last = max(iso(s["finishedAt"]) for s in snaps)
        intervals = [(iso(s["startedAt"]), iso(s["finishedAt"])) for s in snaps]
        return {
            "n": n, "latency_runs": latency_runs, "concurrency": concurrency,
            "latency": latencies, "queued_to_running": queued_to_running, "agent_to_step": agent_to_step,
            "api_tail": api_tail, "to_claim": to_claim, "claim_to_running": claim_to_running,
            "enqueue_seconds": enqueued - first_post, "total_seconds": last - first_post,
            "most_at_once": most_at_once(intervals),
            "run_seconds": [e - s for s, e in intervals],
            "server_cpu": cpu_after[0] - cpu_before[0], "agents_cpu": cpu_after[1] - cpu_before[1],
        }
    finally:
        bench.close()

def print_queue(q):
    ms = lambda values: f"median {statistics.median(values)*1000:6.1f} ms (min {min(values)*1000:.1f}, max {max(values)*1000:.1f})"
    print(f"queue: global queue, max_concurrency {q['concurrency']}; one-step runs (`true`) via POST /dags/qb/enqueue")
    print(f"dispatch latency, POST returned -> run running ({q['latency_runs']} runs, idle queue): {ms(q['latency'])}  target < 50 ms median")
    print(f"  POST returned -> claim record:       {ms(q['to_claim'])}  (dispatcher wake-up and pass)")
    print(f"  claim record -> run running:         {ms(q['claim_to_running'])}  (spawn the agent, agent start-up)")
    print(f"  queuedAt -> POST returned:           {ms(q['api_tail'])}  (the API's enqueue: run record, queue record, fsyncs)")
    print(f"  queuedAt -> startedAt (stored):      {ms(q['queued_to_running'])}")
    print(f"  run running -> step started:         {ms(q['agent_to_step'])}")
    rate = q["n"] / q["total_seconds"]
    print(f"throughput: {q['n']} runs in {q['total_seconds']:.2f} s = {rate:.1f} runs/s  target >= 30 runs/s")
    print(f"  enqueueing took {q['enqueue_seconds']:.2f} s ({q['n']/q['enqueue_seconds']:.0f} enqueues/s, 8 clients); "
          f"at most {q['most_at_once']} runs at once; run duration {ms(q['run_seconds'])}")
    cores = os.cpu_count() or 1
    per_run = (q["server_cpu"] + q["agents_cpu"]) / q["n"]
    print(f"  CPU per run: start-all (API + dispatcher) {q['server_cpu']/q['n']*1000:.1f} ms, "
          f"run agent + step {q['agents_cpu']/q['n']*1000:.1f} ms; CPU-bound ceiling on {cores} cores "
          f"~{cores/per_run:.0f} runs/s" if per_run > 0 else "  CPU per run: not available")

# --- Main ------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--queue-runs", type=int, default=500)
    parser.add_argument("--latency-runs", type=int, default=50)
    parser.add_argument("--measure", choices=["all", "engine", "queue"], default="all")
    parser.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "../../.build/release/trellis"))
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"no trellis binary at {binary}; build it with: swift build -c release")
    if args.measure in ("all", "engine"):
        engine_bench(args, binary)
    if args.measure in ("all", "queue"):
        if args.smoke:
            print_queue(queue_bench(binary, n=12, latency_runs=3))
        else:
            print_queue(queue_bench(binary, n=args.queue_runs, latency_runs=args.latency_runs))

def engine_bench(args, binary):
    n = 10 if args.smoke else args.steps
    reps = 1 if args.smoke else args.reps
    home = tempfile.mkdtemp(prefix="trellis-bench-")
    dags = os.path.join(home, "dags")
    os.makedirs(dags)
    with open(os.path.join(dags, "chain.yaml"), "w") as f:
        f.write("shell: sh\nsteps:\n" + "".join(f"  - {{name: s{i}, command: \"true\"}}\n" for i in range(n)))
    with open(os.path.join(dags, "fanout.yaml"), "w") as f:
        f.write("shell: sh\ntype: graph\nsteps:\n" + "".join(f"  - {{name: s{i}, command: \"true\"}}\n" for i in range(n)))
    with open(os.path.join(dags, "empty.yaml"), "w") as f:
        f.write("shell: sh\nsteps:\n  - {name: only, command: \"true\"}\n")
    env = dict(os.environ, TRELLIS_HOME=home)
    results = {"floor": [], "chain": [], "fanout": [], "empty": []}
    for _ in range(reps):
        results["floor"].append(floor(n))
        for dag in ("empty", "chain", "fanout"):
            results[dag].append(timed([binary, "start", "-q", dag], env, home))
    s = {k: summary(v) for k, v in results.items()}
    per_step = [(c - e - f) / n * 1000 for c, e, f in zip(results["chain"], results["empty"], results["floor"])]
    cores = os.cpu_count() or 1
    fan_ratio = [(fo - e) / (f / cores) for fo, e, f in zip(results["fanout"], results["empty"], results["floor"])]
    print(f"machine: {cores} cores; {reps} repetitions; {n} steps")
    for key in ("floor", "empty", "chain", "fanout"):
        print(f"{key:8s} median {s[key]['median']*1000:8.1f} ms  (min {s[key]['min']*1000:.1f}, max {s[key]['max']*1000:.1f})")
    print(f"per-step overhead: median {statistics.median(per_step):.2f} ms (min {min(per_step):.2f}, max {max(per_step):.2f})  budget <= 1 ms")
    print(f"fan-out vs floor/cores: median {statistics.median(fan_ratio):.2f}x (min {min(fan_ratio):.2f}, max {max(fan_ratio):.2f})  budget <= 1.5x")
    subprocess.run(["rm", "-rf", home])

if __name__ == "__main__":
    main()
