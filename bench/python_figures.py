#!/usr/bin/python3
"""Figures of the Python module (docs/PERFORMANCE.md, issue #27):

1. read_dataframe of dltgen's 100 MB file (--profile verbose --seed 1): time, peak memory
   of the process above its state before the call, and the DataFrame's own size
   (df.memory_usage(deep=True).sum()); with and without the text column. Each run in a
   fresh interpreter (peak RSS is per process).
2. The Dask job (errors per ECU and application) over 8 files on a LocalCluster of 1 and
   of 2 worker processes (one thread each); the per-file overhead from 8 files of 10
   messages. FLEET_SIZE sets each fleet file's size (dltgen --size; default 25M, a job of
   about 60 ms of decoding per task, where the cluster's own overhead per task shows).

Usage: bench/python_figures.py BUILD [RUNS] [FLEET_SIZE]   (e.g. bench/python_figures.py build 3 100M)
Files go to /tmp/dltdump-bench-py. Prints one line per measure.
"""

import os
import statistics
import subprocess
import sys
import time

build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
fleet_size = sys.argv[3] if len(sys.argv) > 3 else "25M"
work = "/tmp/dltdump-bench-py"
os.makedirs(work, exist_ok=True)
env = dict(os.environ, PYTHONPATH=os.path.join(build, "python"), TZ="UTC")
dltgen = os.path.join(build, "tools", "dltgen")


def generate(name, *args):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        subprocess.run([dltgen, "--profile", "verbose", *args, "-o", path], check=True)
    return path


# The measure in a fresh interpreter: pandas and dltdump imported first, so that the peak
# above the state before the call is the read's.
ONE_READ = r"""
import resource, sys, time
import pandas, dltdump
def rss_kb():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
before = rss_kb()
t = time.perf_counter()
df = dltdump.read_dataframe(sys.argv[1], text=sys.argv[2] == "text")
took = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(df), took, (peak - before) * 1024, int(df.memory_usage(deep=True).sum()))
"""


def dataframe_figures():
    big = generate("verbose-100M.dlt", "--size", "100M", "--seed", "1")
    for text in ("text", "notext"):
        rows = []
        for _ in range(runs):
            out = subprocess.run(["/usr/bin/python3", "-c", ONE_READ, big, text], env=env, check=True,
                                 capture_output=True, text=True).stdout.split()
            rows.append((int(out[0]), float(out[1]), int(out[2]), int(out[3])))
        n, _, _, size = rows[0]
        took = statistics.median(r[1] for r in rows)
        peak = statistics.median(r[2] for r in rows)
        print(f"read_dataframe {text}: {n} rows, {took:.2f} s (runs {', '.join(f'{r[1]:.2f}' for r in rows)}), "
              f"peak above start {peak / 2**20:.0f} MiB, DataFrame {size / 2**20:.0f} MiB, "
              f"ratio {peak / size:.2f}")


DASK_JOB = r"""
import sys, time, distributed, dltdump.dask
n = int(sys.argv[1]); files = sys.argv[3:]; runs = int(sys.argv[2])
with distributed.LocalCluster(n_workers=n, processes=True, threads_per_worker=1, dashboard_address=None,
                              silence_logs=40) as cluster, distributed.Client(cluster) as client:
    client.run(lambda: __import__("dltdump"))  # the workers' imports are not the job's
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        ddf = dltdump.dask.read_dlt(files, level="error", text=False)
        ddf.groupby(["ecu", "app"], observed=True).size().compute()
        times.append(time.perf_counter() - t)
    print(" ".join(f"{x:.3f}" for x in times))
"""


def dask_figures():
    files = [generate(f"fleet-{fleet_size}-{k}.dlt", "--size", fleet_size, "--seed", str(k + 1)) for k in range(8)]
    tiny = [generate(f"tiny-{k}.dlt", "--count", "10", "--seed", str(k + 1)) for k in range(8)]
    medians = {}
    for n in (1, 2):
        out = subprocess.run(["/usr/bin/python3", "-c", DASK_JOB, str(n), str(runs), *files], env=env, check=True,
                             capture_output=True, text=True).stdout.split()
        medians[n] = statistics.median(map(float, out))
        print(f"dask {n} worker(s), 8 x {fleet_size}: {medians[n]:.2f} s (runs {', '.join(out)})")
    print(f"dask 2 workers vs 1: {medians[1] / medians[2]:.2f}x")
    out = subprocess.run(["/usr/bin/python3", "-c", DASK_JOB, "1", str(runs), *tiny], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    print(f"dask per-file overhead (8 files of 10 messages, 1 worker): "
          f"{statistics.median(map(float, out)) / 8 * 1000:.1f} ms per file (runs {', '.join(out)})")


started = time.time()
dataframe_figures()
dask_figures()
print(f"({time.time() - started:.0f} s in all)")
