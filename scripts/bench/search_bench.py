#!/usr/bin/env python3
"""Search benchmark: GET /search/dags?q= over many DAG files (API §5.2).

Usage: scripts/bench/search_bench.py [--smoke] [--files N] [--requests N] [--binary PATH]

Generates N DAG files (default 2,000; a few lines each, one in ten contains the search term)
and a few docs in a temporary home, starts `trellis server --port 0`, waits until the catalog
serves all of them, then times sequential requests over HTTP on 127.0.0.1:
  feed       GET /search/dags?q=<term>            (first page, limit 20)
  feed-all   GET /search/dags?q=<term>&limit=50   (walking every page with nextCursor)
  miss       GET /search/dags?q=<absent>          (scans every file, no result)
  labels     GET /search/dags?q=<term>&labels=team=t3
  docs       GET /search/docs?q=<term>
  legacy     GET /dags/search?q=<term>            (regular expression on every line, all matches)
Reports median/min/max per request. --smoke uses small sizes and checks nothing (CI keeps the
script working). The budget is a median under 30 ms for `feed` over 2,000 files.
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time, urllib.request

def get(base, path):
    start = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=30) as reply:
        body = reply.read()
    return time.perf_counter() - start, json.loads(body)

def summary(name, values):
    ms = [v * 1000 for v in values]
    print(f"{name:9s} median {statistics.median(ms):7.2f} ms  (min {min(ms):.2f}, max {max(ms):.2f}, n={len(ms)})")
    return statistics.median(ms)

def dag_text(i, term):
    lines = [f"description: generated DAG {i}", f"labels: team=t{i % 7}, tier{i % 3}", "params:", f"  - RUN_ID: {i}", "steps:"]
    for s in range(4):
        command = f"echo {term} {i}" if (i % 10 == 0 and s == 2) else f"echo step {s} of dag {i}"
        lines += [f"  - name: step-{s}", f"    command: {command}"]
    return "\n".join(lines) + "\n"

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "../../.build/release/trellis"))
    args = parser.parse_args()
    files = 50 if args.smoke else args.files
    requests = 5 if args.smoke else args.requests
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"no trellis binary at {binary}; build it with: swift build -c release")
    term = "needlework"
    home = tempfile.mkdtemp(prefix="trellis-search-bench-")
    dags = os.path.join(home, "dags")
    os.makedirs(os.path.join(dags, "docs", "runbooks"))
    for i in range(files):
        with open(os.path.join(dags, f"dag-{i:05d}.yaml"), "w") as f:
            f.write(dag_text(i, term))
    for i in range(20):
        with open(os.path.join(dags, "docs", "runbooks", f"doc-{i:02d}.md"), "w") as f:
            f.write(f"---\ntitle: Doc {i}\n---\n# Doc {i}\n" + "".join(f"line {n} {term if n % 9 == 0 else 'text'}\n" for n in range(60)))
    env = dict(os.environ, TRELLIS_HOME=home)
    env.pop("http_proxy", None); env.pop("HTTP_PROXY", None)
    out = open(os.path.join(home, "server.out"), "w+")
    server = subprocess.Popen([binary, "server", "--port", "0"], env=env, cwd=home, stdout=out, stderr=subprocess.STDOUT)
    try:
        port = None
        deadline = time.time() + 120
        while port is None and time.time() < deadline and server.poll() is None:
            out.seek(0)
            match = re.search(r"listening on 127\.0\.0\.1:(\d+)", out.read())
            if match:
                port = int(match.group(1))
            else:
                time.sleep(0.05)
        if port is None:
            out.seek(0)
            sys.exit("server did not start:\n" + out.read())
        urllib.request.install_opener(urllib.request.build_opener(urllib.request.ProxyHandler({})))
        base = f"http://127.0.0.1:{port}/api/v1"
        expected = (files + 9) // 10
        while True:
            _, body = get(base, f"/dags?perPage=1")
            if body["pagination"]["totalRecords"] >= files or time.time() > deadline:
                break
            time.sleep(0.1)
        cold, _ = get(base, f"/search/dags?q={term}")  # the first search builds the index
        for _ in range(2):
            get(base, f"/search/dags?q={term}")
        feed, walk, miss, docs, labelled, legacy = [], [], [], [], [], []
        for _ in range(requests):
            elapsed, body = get(base, f"/search/dags?q={term}")
            feed.append(elapsed)
            elapsed, _ = get(base, "/search/dags?q=absent-term-xyz")
            miss.append(elapsed)
            elapsed, _ = get(base, f"/search/docs?q={term}")
            docs.append(elapsed)
            elapsed, _ = get(base, f"/search/dags?q={term}&labels=team%3Dt3")
            labelled.append(elapsed)
        for _ in range(max(1, requests // 20)):
            elapsed, body = get(base, f"/dags/search?q={term}")
            legacy.append(elapsed)
            if len(body["results"]) != expected:
                sys.exit(f"legacy search found {len(body['results'])} files, expected {expected}")
        for _ in range(max(1, requests // 20)):
            start, seen, cursor = time.perf_counter(), 0, None
            while True:
                _, page = get(base, f"/search/dags?q={term}&limit=50" + (f"&cursor={cursor}" if cursor else ""))
                seen += len(page["results"])
                cursor = page.get("nextCursor")
                if not cursor:
                    break
            walk.append(time.perf_counter() - start)
            if seen != expected:
                sys.exit(f"walked {seen} results, expected {expected}")
        print(f"machine: {os.cpu_count()} cores; {files} DAG files ({expected} match), 20 docs; {requests} requests each")
        print(f"cold      {cold * 1000:7.2f} ms  (first search: builds the index of every file)")
        median = summary("feed", feed)
        summary("miss", miss)
        summary("labels", labelled)
        summary("docs", docs)
        summary("feed-all", walk)
        summary("legacy", legacy)
        if not args.smoke:
            print(f"budget: feed median < 30 ms over 2,000 files -> {'ok' if median < 30 else 'OVER'}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run(["rm", "-rf", home])

if __name__ == "__main__":
    main()
