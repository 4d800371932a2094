#!/usr/bin/env python3
"""Repro: POST /dag-runs/{name}/{id}/stop on a queued run that the dispatcher has just claimed
(agent not yet running) is refused with 400 bad_request "... is being dispatched and cannot be
dequeued; stop it instead", and the run then runs to the end: the stop is lost.

Usage: scripts/reliability/stop_dispatch_repro.py [--binary PATH] [--tries N]

Starts `trellis start-all` on a temporary home (load_test.py's DAGs), then N times: enqueue a run
of `sleep1` (own queue, max_active_runs 1, idle), wait for the dispatcher's `claim` record in
data/queues/sleep1.jsonl, and stop the run at once (before its agent has written `running`).
Prints the stop answers and the final status of each run. Exit status 1 when a stop was refused.
"""
import argparse, collections, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load_test as lt  # noqa: E402

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=None)
    parser.add_argument("--tries", type=int, default=20)
    args = parser.parse_args()
    root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    binary = args.binary or next(p for p in (os.path.join(root, ".build/release/trellis"),
                                             os.path.join(root, ".build/debug/trellis")) if os.access(p, os.X_OK))
    server = lt.Server(os.path.abspath(binary))
    refused, outcomes = [], collections.Counter()
    try:
        c = lt.Client(server.port, 60)
        for _ in range(args.tries):
            status, reply, _ = c.request("POST", "/dags/sleep1/enqueue", {})
            run_id = reply["dagRunId"]
            # Wait for the dispatcher's claim record (the agent is being started), then stop.
            queue_file = os.path.join(server.home, "data", "queues", "sleep1.jsonl")
            deadline = time.time() + 10
            while time.time() < deadline:
                with open(queue_file) as f:
                    if any('"claim"' in line and run_id in line for line in f):
                        break
                time.sleep(0.001)
            status, reply, _ = c.request("POST", f"/dag-runs/sleep1/{run_id}/stop")
            answer = f"{status} {reply.get('code', '') if isinstance(reply, dict) else ''}".strip()
            while True:  # wait for the run to end (sleep 1 + echo, or aborted)
                _, details, _ = c.request("GET", f"/dag-runs/sleep1/{run_id}")
                final = details["dagRunDetails"]["status"]
                if final in lt.TERMINAL:
                    break
                time.sleep(0.1)
            outcomes[(answer, lt.TERMINAL[final])] += 1
            if status == 400 and "being dispatched" in lt.message(reply):
                refused.append((run_id, lt.message(reply), lt.TERMINAL[final]))
        c.close()
    finally:
        server.close()
    for (answer, final), n in sorted(outcomes.items()):
        print(f"stop -> {answer:20s} run ended {final:10s} x{n}")
    for run_id, text, final in refused[:3]:
        print(f"refused: POST /dag-runs/sleep1/{run_id}/stop -> 400 {text!r}; the run ended {final}")
    sys.exit(1 if refused else 0)

if __name__ == "__main__":
    main()
