#!/usr/bin/python3
"""read_dataframe, an old build against a new one: runs alternated, each in a fresh
interpreter; medians of the call's wall-clock time and CPU time (user + sys, getrusage),
minor faults, and peak memory above the start against the DataFrame's size (as
bench/python_figures.py prints it).

Usage: bench/python_ab.py RUNS text|notext [FILE [NEW_PYTHONPATH]]
The old build is a copy kept before the change: its python dir in /tmp/py-old/python and its
libdltdump.so* in /tmp/py-old/lib (LD_LIBRARY_PATH takes it before the extension's RUNPATH).
FILE defaults to bench/python_figures.py's 100 MB file; NEW_PYTHONPATH to build/python.
"""
import os, statistics, subprocess, sys
runs = int(sys.argv[1]); mode = sys.argv[2]
path = sys.argv[3] if len(sys.argv) > 3 else "/tmp/dltdump-bench-py/verbose-100M.dlt"
ONE = r"""
import resource, sys, time
import pandas, dltdump
def rss_kb():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
before = rss_kb()
r0 = resource.getrusage(resource.RUSAGE_SELF)
t = time.perf_counter()
df = dltdump.read_dataframe(sys.argv[1], text=sys.argv[2] == "text")
took = time.perf_counter() - t
r1 = resource.getrusage(resource.RUSAGE_SELF)
peak = r1.ru_maxrss
print(len(df), took, r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime, r1.ru_minflt - r0.ru_minflt,
      (peak - before) * 1024, int(df.memory_usage(deep=True).sum()))
"""
variants = {
    "old": dict(os.environ, PYTHONPATH="/tmp/py-old/python", LD_LIBRARY_PATH="/tmp/py-old/lib", TZ="UTC"),
    "new": dict(os.environ, PYTHONPATH=os.path.abspath("build/python"), TZ="UTC"),
}
if len(sys.argv) > 4:
    variants["new"]["PYTHONPATH"] = sys.argv[4]
res = {k: [] for k in variants}
for i in range(runs):
    for k, env in variants.items():
        out = subprocess.run(["/usr/bin/python3", "-c", ONE, path, mode], env=env, check=True,
                             capture_output=True, text=True).stdout.split()
        res[k].append([float(x) for x in out])
for k, rows in res.items():
    med = lambda i: statistics.median(r[i] for r in rows)
    print(f"{k}: rows {int(rows[0][0])} wall {med(1):.3f} s (runs {' '.join(f'{r[1]:.2f}' for r in rows)}) "
          f"user {med(2):.3f} sys {med(3):.3f} cpu {statistics.median(r[2]+r[3] for r in rows):.3f} "
          f"minflt {med(4):.0f} peak {med(5)/2**20:.0f} MiB df {rows[0][6]/2**20:.0f} MiB ratio {med(5)/rows[0][6]:.2f}")
