#!/usr/bin/python3
"""read_dataframe against python-dlt (docs/PERFORMANCE.md, issue #27: ">= 50x faster than
python-dlt reading the same file into a DataFrame").

python-dlt (COVESA's module, github.com/bmwcarit/python-dlt) is a ctypes wrapper around
libdlt.so.2 (Debian's libdlt2); it is not part of this project and not installed by it. Give
the path of a python-dlt checkout (the directory that holds its `dlt/` package) as
--python-dlt PATH or in the environment as PYTHON_DLT=PATH; without one, or when `from dlt
import dlt` fails there, the script prints one line saying so and exits 0 (skipped).

The file is dltgen's 100 MB verbose file of bench/python_figures.py (`--profile verbose
--size 100M --seed 1`, in /tmp/dltdump-bench-py, reused when present). Each run is a fresh
/usr/bin/python3 process that imports pandas and its reader first, then times:

* python-dlt, the way its README reads a file: iterate `dlt.load(path)`, take per message
  the fields read_dataframe gives (storage time, device time, counter, ECU, app, context,
  session, type, level, message id, argument count, payload text), append them to lists,
  then `pandas.DataFrame(...)` with the time as datetime64 (UTC);
* `dltdump.read_dataframe(path)` (PYTHONPATH=BUILD/python), the same columns and more.

Prints per reader the rows, the median wall-clock and CPU (user+sys of the process) time of
its runs, the ratios, and the load average before and after (the machine may be shared; the
two readers' runs alternate).
python-dlt takes minutes on the whole file: --peer-runs sets its runs apart (default 1), and
--peer-limit N stops its iteration after N messages (its rows then are the prefix; the ratio
is taken per message). A prefix understates python-dlt: on a loaded machine it took 48 us of
CPU a message over the first 300 000 messages, 67 us over the whole file.

Usage: bench/python_dlt_peer.py [BUILD] [RUNS] [--python-dlt PATH] [--peer-runs N] [--peer-limit N]
"""

import argparse
import os
import statistics
import subprocess
import sys

WORK = "/tmp/dltdump-bench-py"
PYTHON = "/usr/bin/python3"

# The peer's read: the iteration of python-dlt's README ("for msg in d: msg.apid,
# msg.payload_decoded ..."), a list per column, one DataFrame at the end. Times from after
# the imports to the finished DataFrame; prints rows, wall s, CPU s, python-dlt's count of
# corrupt messages it skipped.
PEER_READ = r"""
import sys, time
import pandas
from dlt import dlt
path, limit = sys.argv[1], int(sys.argv[2])
wall, cpu = time.perf_counter(), time.process_time()
names = ("time", "device_time", "counter", "ecu", "app", "ctx", "session", "type", "level",
         "message_id", "noar", "text")
cols = {name: [] for name in names}
(t_, dt_, cnt_, ecu_, app_, ctx_, ses_, typ_, lvl_, mid_, noar_, txt_) = (cols[n] for n in names)
dltfile = dlt.load(path)
for msg in dltfile:
    t_.append(msg.storage_timestamp)
    dt_.append(msg.tmsp)
    cnt_.append(msg.mcnt)
    ecu_.append(msg.ecuid)
    app_.append(msg.apid)
    ctx_.append(msg.ctid)
    ses_.append(msg.seid)
    typ_.append(msg.type_string.decode())
    lvl_.append(msg.subtype)
    mid_.append(msg.message_id)
    noar_.append(msg.noar)
    txt_.append(msg.payload_decoded)
    if limit and len(t_) >= limit:
        break
df = pandas.DataFrame(cols)
df["time"] = pandas.to_datetime(df["time"], unit="s", utc=True)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(len(df), wall, cpu, dltfile.corrupt_msg_count)
"""

OURS_READ = r"""
import sys, time
import pandas, dltdump
wall, cpu = time.perf_counter(), time.process_time()
df = dltdump.read_dataframe(sys.argv[1])
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(len(df), wall, cpu, df.attrs.get("skipped_bytes", 0))
"""


def loadavg():
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def python_dlt_path(given):
    """The checkout to use, or None after printing why there is none."""
    path = given or os.environ.get("PYTHON_DLT")
    how = "give the path of a python-dlt checkout (the directory holding dlt/) as --python-dlt PATH or PYTHON_DLT=PATH"
    if not path:
        print(f"python_dlt_peer: skipped: no python-dlt checkout given; {how}")
        return None
    probe = subprocess.run([PYTHON, "-c", "from dlt import dlt"], env=dict(os.environ, PYTHONPATH=path),
                           capture_output=True, text=True)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"python_dlt_peer: skipped: 'from dlt import dlt' fails with PYTHONPATH={path} ({last}); {how}")
        return None
    return os.path.abspath(path)


class Runs:
    """The figures of one reader's runs: rows, [wall s], [CPU s], its count of what it skipped."""

    def __init__(self, code, args, env):
        self.code, self.args, self.env = code, args, env
        self.rows, self.walls, self.cpus, self.skipped = None, [], [], None

    def run(self):
        """One more run, in a fresh process."""
        out = subprocess.run([PYTHON, "-c", self.code, *self.args], env=self.env, check=True, capture_output=True,
                             text=True).stdout.split()
        self.rows, self.skipped = int(out[0]), int(out[3])
        self.walls.append(float(out[1]))
        self.cpus.append(float(out[2]))


def line(name, rows, walls, cpus):
    def listed(values):
        return ", ".join(f"{v:.2f}" for v in values)

    print(f"{name}: {rows} rows, wall {statistics.median(walls):.2f} s (runs {listed(walls)}), "
          f"CPU {statistics.median(cpus):.2f} s (runs {listed(cpus)})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", nargs="?", default="build", help="the build directory (default build)")
    parser.add_argument("runs", nargs="?", type=int, default=3, help="runs of read_dataframe (default 3)")
    parser.add_argument("--python-dlt", help="a python-dlt checkout (default: $PYTHON_DLT)")
    parser.add_argument("--peer-runs", type=int, default=1, help="runs of python-dlt (default 1)")
    parser.add_argument("--peer-limit", type=int, default=0, help="python-dlt reads only the first N messages")
    args = parser.parse_args()

    peer = python_dlt_path(args.python_dlt)
    if peer is None:
        return 0
    build = os.path.abspath(args.build)
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, "verbose-100M.dlt")
    if not os.path.exists(path):
        subprocess.run([os.path.join(build, "tools", "dltgen"), "--profile", "verbose", "--size", "100M",
                        "--seed", "1", "-o", path], check=True)

    print(f"file {path} ({os.path.getsize(path)} bytes); load average {loadavg()} before")
    ours = Runs(OURS_READ, [path], dict(os.environ, PYTHONPATH=os.path.join(build, "python"), TZ="UTC"))
    theirs = Runs(PEER_READ, [path, str(args.peer_limit)], dict(os.environ, PYTHONPATH=peer, TZ="UTC"))
    # Alternated, so that a change in the machine's load falls on both readers alike.
    for i in range(max(args.runs, args.peer_runs)):
        if i < args.runs:
            ours.run()
        if i < args.peer_runs:
            theirs.run()
    line("dltdump.read_dataframe", ours.rows, ours.walls, ours.cpus)
    line("python-dlt + pandas.DataFrame" + (f" (first {args.peer_limit} messages)" if args.peer_limit else ""),
         theirs.rows, theirs.walls, theirs.cpus)
    print(f"python-dlt skipped {theirs.skipped} corrupt messages; read_dataframe skipped {ours.skipped} bytes")

    # Per message, so that a prefix of python-dlt compares with the whole file of ours.
    for what, theirs_s, ours_s in (("wall", theirs.walls, ours.walls), ("CPU", theirs.cpus, ours.cpus)):
        ratio = (statistics.median(theirs_s) / theirs.rows) / (statistics.median(ours_s) / ours.rows)
        print(f"ratio ({what}, per message): python-dlt / read_dataframe = {ratio:.1f}x")
    if not args.peer_limit and theirs.rows != ours.rows:
        print(f"rows differ: python-dlt {theirs.rows}, read_dataframe {ours.rows}")
    print(f"load average {loadavg()} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
