#!/usr/bin/env python3
"""Serve latency: time from writing one briefing to the reload event in an open tab.

Starts `brief serve --port 0` on a copy of a generated corpus, listens to the same event stream
a browser tab uses, and for each kind of change (title edit, body edit, add, delete) measures
the wall time from the start of the file write to the arrival of `event: reload`, the
server's own time for each rebuild (its "Rebuilt … in N ms" line) and how long the write took.

    cargo run --release --example corpus -- --count 10000 --out /tmp/corpus-10k
    cargo build --release
    python3 bench/serve_latency.py --site /tmp/corpus-10k/brief --edits 20

Not part of `cargo test`: the figures depend on the machine and its load.
"""
import argparse
import os
import queue
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def start_server(binary, root):
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0", "--root", root],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    lines = queue.Queue()

    def pump():
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        print("  server:", line)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            return proc, int(m.group(1)), lines
    proc.kill()
    sys.exit("serve did not start")


def listen(port):
    """Connects to the event stream; returns a queue of (arrival time, event name)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__brief/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
    events = queue.Queue()

    def read():
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return
            now = time.perf_counter()
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.startswith(b"event: "):
                    events.put((now, line[7:].strip().decode()))

    threading.Thread(target=read, daemon=True).start()
    return events


def wait_event(events, name, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            t, ev = events.get(timeout=0.5)
        except queue.Empty:
            continue
        if ev == name:
            return t
        if ev == "build-error":
            sys.exit("the edit broke the build")
    sys.exit(f"no {name} event within {timeout} s")


def pick_files(root, n, rng):
    files = []
    for d, _, names in os.walk(os.path.join(root, "content")):
        files += [os.path.join(d, f) for f in names if f.endswith(".md")]
    files.sort()
    return rng.sample(files, n)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", required=True, help="a brief site (e.g. CORPUS/brief from examples/corpus)")
    ap.add_argument("--edits", type=int, default=20, help="changes of each kind")
    ap.add_argument("--binary", default="target/release/brief")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tmp", default=None, metavar="DIR",
                    help="where to copy the site (default: the system's temporary folder); on ext4 "
                         "without a journal, creating files within minutes of deleting many is slow "
                         "(see bench/run.py, SETTLE_S), which the `write` column shows")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    work = tempfile.mkdtemp(prefix="brief-serve-bench-", dir=args.tmp)
    root = os.path.join(work, "site")
    shutil.copytree(args.site, root)
    count = sum(len([f for f in fs if f.endswith(".md")]) for _, _, fs in os.walk(os.path.join(root, "content")))
    print(f"# serve latency, {count} briefings, {args.edits} changes of each kind; nproc {os.cpu_count()}, "
          f"load {os.getloadavg()[0]:.2f} at start; site copied to {work}")
    proc, port, server_lines = start_server(os.path.abspath(args.binary), root)
    try:
        events = listen(port)
        wait_event(events, "hello")
        results = {"title edit": [], "body edit": [], "add": [], "delete": []}
        targets = pick_files(root, args.edits * 2, rng)
        added = []
        order = []  # the kind of each change, in the order made
        written = {kind: [] for kind in results}  # how long the write itself took

        def timed(kind, action):
            time.sleep(0.3)  # let the previous rebuild settle; bursts are measured elsewhere
            while not events.empty():
                events.get()
            t0 = time.perf_counter()
            action()
            written[kind].append((time.perf_counter() - t0) * 1000)
            t1 = wait_event(events, "reload")
            results[kind].append((t1 - t0) * 1000)
            order.append(kind)

        for i in range(args.edits):
            f = targets[i]
            text = open(f, encoding="utf-8").read()
            new = re.sub(r"^title: .*$", f'title: "Revised briefing {i}"', text, count=1, flags=re.M)
            timed("title edit", lambda: open(f, "w", encoding="utf-8").write(new))

            g = targets[args.edits + i]
            body = open(g, encoding="utf-8").read() + f"\nAn added sentence, revision {i}.\n"
            timed("body edit", lambda: open(g, "w", encoding="utf-8").write(body))

            src = open(targets[i], encoding="utf-8").read()
            path = os.path.join(os.path.dirname(targets[i]), f"bench-added-{i}.md")
            added_text = re.sub(r"^title: .*$", f'title: "Added briefing {i}"', src, count=1, flags=re.M)
            added_text = re.sub(r"^slug: .*\n", "", added_text, flags=re.M)
            timed("add", lambda: open(path, "w", encoding="utf-8").write(added_text))
            added.append(path)

        for i, path in enumerate(added):
            timed("delete", lambda: os.remove(path))

        time.sleep(0.5)  # the last "Rebuilt" line
        rebuilt = []
        while not server_lines.empty():
            m = re.search(r"Rebuilt (\d+) pages? in (\d+) ms", server_lines.get())
            if m:
                rebuilt.append((int(m.group(1)), int(m.group(2))))
        # One rebuild per change, in order: the server's own time for each kind of change.
        server = {kind: [] for kind in results}
        if len(rebuilt) == len(order):
            for kind, (_, ms) in zip(order, rebuilt):
                server[kind].append(ms)
        print()
        print("| change | n | median ms | p95 ms | min ms | max ms | server-side median ms | write median ms |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for kind, xs in results.items():
            xs.sort()
            p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
            own = f"{statistics.median(server[kind]):.0f}" if server[kind] else "?"
            print(f"| {kind} | {len(xs)} | {statistics.median(xs):.1f} | {p95:.1f} | {xs[0]:.1f} | {xs[-1]:.1f} | {own} "
                  f"| {statistics.median(written[kind]):.1f} |")
        if rebuilt:
            pages = sorted(p for p, _ in rebuilt)
            ms = sorted(t for _, t in rebuilt)
            print(f"\nserver-side rebuilds: {len(rebuilt)}; pages re-rendered median {statistics.median(pages):.0f} "
                  f"(max {pages[-1]}); rebuild time median {statistics.median(ms):.0f} ms (max {ms[-1]})")
        print(f"# load {os.getloadavg()[0]:.2f} at end")
    finally:
        proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
