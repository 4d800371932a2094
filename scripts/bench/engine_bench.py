#!/usr/bin/env python3
"""Run-engine benchmark: per-step overhead and fan-out against the process-spawn floor.

Usage: scripts/bench/engine_bench.py [--smoke] [--reps N] [--binary PATH]

Measures, in the same run on the same machine:
  floor     N back-to-back `sh -c true` spawns (the physical cost of the steps themselves)
  chain     `trellis start` of a chain of N steps running `true`
  fanout    `trellis start` of N independent `true` steps (type: graph)
  empty     `trellis start` of a one-step DAG (fixed cost: process start, load, store)
and reports per-step overhead = (chain - empty - floor) / N, and fan-out wall time against
floor / cores. --smoke uses small sizes and checks nothing, so CI keeps the script working.
"""
import argparse, os, statistics, subprocess, sys, tempfile, time

def timed(cmd, env, cwd):
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start

def floor(n):
    start = time.perf_counter()
    for _ in range(n):
        subprocess.run(["sh", "-c", "true"], check=True)
    return time.perf_counter() - start

def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "../../.build/release/trellis"))
    args = parser.parse_args()
    n = 10 if args.smoke else args.steps
    reps = 1 if args.smoke else args.reps
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"no trellis binary at {binary}; build it with: swift build -c release")
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
