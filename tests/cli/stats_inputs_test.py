#!/usr/bin/python3
"""The --stats report's inputs (issue #22, a new user's findings).

* A stop (SIGINT) during a long run: dltdump stops within a message, exits 130, and the
  report is whole JSON that says it was stopped, marks the input being read `stopped` and
  the ones after it `not_read`, and is consistent (per input, ECU, context, kind and type
  sums equal the totals) on one thread and on several, for a DLT file and a capture. A slow
  regular expression keeps the run busy; the checks are on consistency, never on speed (a
  run that ends before the signal is only checked for consistency).
* Inputs that fail (missing, a directory, a capture cut inside its header) are listed in
  command-line order with status `failed` and the one-line reason stderr shows; the exit
  code is 4 (some inputs failed) or 3 (all). So too with --sort (a new user's finding: the
  merged stream's one row said `ok` whatever its inputs did): that row is `failed`, its
  reason how many inputs failed and their lines; with --lifecycle without --sort each input
  keeps its row, one that could not be opened too. -c gives every input its count, also
  one that failed (0 when it could not be opened).
* Input names with CJK characters and U+2028 in the text tables: the separator escaped,
  the columns aligned by display width (East Asian wide characters take two columns).

Usage: stats_inputs_test.py DLTDUMP DLTGEN CAPGEN SCHEMA WORKDIR
"""
import gzip
import json
import os
import signal
import subprocess
import sys
import time
import unicodedata

from cli_checks import ENV, check, finish, runner, schema_validator

DLTDUMP, DLTGEN, CAPGEN, SCHEMA, WORK = (os.path.abspath(a) for a in sys.argv[1:6])
run = runner(DLTDUMP)
# Catastrophic backtracking on every payload, up to PCRE2's match limit: a few megabytes
# take minutes, so a stop always comes in the middle of a block.
SLOW = r"(\s*\S+)*\d{9}$"


def path(name):
    return os.path.join(WORK, name)


def gen(*args):
    subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL)


VALIDATOR = None


def valid(report, what):
    if VALIDATOR is not None:
        errors = list(VALIDATOR.iter_errors(report))
        check(not errors, "%s: schema: %s" % (what, errors[0].message if errors else ""))


def consistent(r, what):
    """The report's parts add up to its totals."""
    n, b = r["messages"], r["bytes"]
    check(sum(i["messages"] for i in r["inputs"]) == n, "%s: inputs' messages sum to the total" % what)
    check(sum(i["bytes"] for i in r["inputs"]) == b, "%s: inputs' bytes sum to the total" % what)
    check(sum(e["messages"] for e in r["ecus"]) == n, "%s: ECUs' messages sum to the total" % what)
    check(sum(e["bytes"] for e in r["ecus"]) == b, "%s: ECUs' bytes sum to the total" % what)
    check(sum(c["messages"] for c in r["contexts"]) + r["folded"]["messages"] == n,
          "%s: contexts' messages sum to the total" % what)
    check(sum(r["kinds"].values()) == n, "%s: kinds sum to the total" % what)
    check(sum(t["messages"] for t in r["types"]) == n, "%s: types sum to the total" % what)
    for c in r["contexts"]:
        check(sum(c["levels"].values()) == c["messages"], "%s: levels sum to the context's messages" % what)
    check(sum(l["messages"] for l in r["lifecycles"]) == n or r["lifecycles_not_listed"] > 0,
          "%s: lifecycles' messages sum to the total" % what)


def stopped_run(args, what):
    """Runs --stats=json `args`, sends SIGINT after a moment, checks the report."""
    p = subprocess.Popen([DLTDUMP, "--stats=json", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=600)  # a guard against a hang, not a speed check
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        check(False, "%s: still running 10 minutes after SIGINT" % what)
        return
    if p.returncode == 0:
        print("NOTE %s: the run ended before the signal; consistency checked only" % what)
    else:
        check(p.returncode == 130, "%s: exit %d (130 for SIGINT), stderr %r" % (what, p.returncode, err[-300:]))
        # No lines to end on: the line says what the report holds.
        check(err.endswith(b"Stopped by SIGINT; the report counts the messages decoded before the stop\n"),
              "%s: stderr says it stopped, and what the report holds: %r" % (what, err[-300:]))
    try:
        r = json.loads(out)
    except ValueError as e:
        check(False, "%s: the report is no whole JSON (%s): %r" % (what, e, out[-200:]))
        return
    valid(r, what)
    consistent(r, what)
    if p.returncode == 0:
        return
    check(r.get("stopped") is True, "%s: the report says it was stopped" % what)
    statuses = [i.get("status") for i in r["inputs"]]
    check(statuses == ["stopped", "not_read"], "%s: input statuses %s" % (what, statuses))
    check([i["input"] for i in r["inputs"]] == [args[-2], args[-1]], "%s: both inputs listed" % what)
    check(len(r["inputs"]) == 2 and r["inputs"][1]["messages"] == 0, "%s: nothing of the input not read" % what)


def check_stop():
    gen(DLTGEN, "--timeline", "--size", "20000000", "--seed", "41", "-o", path("big.dlt"))
    for threads in ("1", "2", "3"):
        stopped_run(["--threads=" + threads, "-r", SLOW, path("big.dlt"), path("after.dlt")],
                    "stop, DLT file, %s threads" % threads)
    gen(DLTGEN, "--format", "net", "--size", "12000000", "--seed", "42", "-o", path("big.bin"))
    gen(CAPGEN, "--dlt", path("big.bin"), "--flows", "4", "--seed", "42", "-o", path("big.pcapng"))
    for threads in ("1", "2"):
        stopped_run(["--threads=" + threads, "-r", SLOW, path("big.pcapng"), path("after.dlt")],
                    "stop, capture, %s threads" % threads)
    # A stop read by the text report too.
    p = subprocess.Popen([DLTDUMP, "--stats", "--threads=1", "-r", SLOW, path("big.dlt")], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=ENV)
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    try:
        out, _ = p.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        check(False, "text: still running 10 minutes after SIGINT")
        return
    if p.returncode == 130:
        text = out.decode("utf-8")
        first = text.split("\n")[1]
        check(first.rstrip().endswith("stopped"), "text: the input's status is stopped: %r" % first)
        check("(stopped by a signal" in text, "text: the report says it was stopped")


def check_failed_inputs():
    gen(DLTGEN, "--count", "300", "--seed", "43", "-o", path("good.dlt"))
    os.makedirs(path("dir"), exist_ok=True)
    with open(path("cut.pcap"), "wb") as f:
        f.write(bytes.fromhex("d4c3b2a1020004000000"))  # a PCAP file header cut after 10 bytes
    names = [path("good.dlt"), path("missing.dlt"), path("dir"), path("cut.pcap"), path("good.dlt")]
    rc, out, err = run("--stats=json", *names)
    check(rc == 4, "failed inputs: exit %d (4: some inputs failed)" % rc)
    r = json.loads(out)
    valid(r, "failed inputs")
    consistent(r, "failed inputs")
    check(r.get("stopped") is False, "failed inputs: not stopped")
    check([i["input"] for i in r["inputs"]] == names, "every input listed in command-line order: %s" %
          [i["input"] for i in r["inputs"]])
    check([i.get("status") for i in r["inputs"]] == ["ok", "failed", "failed", "failed", "ok"],
          "statuses: %s" % [i.get("status") for i in r["inputs"]])
    reasons = [i.get("reason") for i in r["inputs"] if i.get("status") == "failed"]
    check(reasons == err.decode().strip().split("\n"), "the reasons are stderr's lines: %s / %r" % (reasons, err))
    check(len(r["inputs"]) == 5 and r["inputs"][0].get("reason", 0) is None, "an input read whole has no reason")
    check(r["messages"] == 600, "failed inputs count nothing")
    rc, out, _ = run("--stats", *names)
    lines = out.decode("utf-8").split("\n")
    check(lines[0].split()[-1] == "status", "text: a status column: %r" % lines[0])
    check(len(lines) > 2 and lines[2].startswith(path("missing.dlt")) and "failed: File not found" in lines[2],
          "text: the missing input's row: %r" % lines[2])
    rc, out, _ = run("--stats=json", path("missing.dlt"), path("dir"))
    check(rc == 3, "only failed inputs: exit %d (3)" % rc)
    check([i.get("status") for i in json.loads(out)["inputs"]] == ["failed", "failed"], "only failed inputs: listed")


def check_sorted_failed_inputs():
    """--sort and --lifecycle: the rows say how the inputs' reading ended (after check_failed_inputs)."""
    good, missing = path("good.dlt"), path("missing.dlt")
    with open(good, "rb") as f:
        data = f.read()
    with open(path("cut.dlt.gz"), "wb") as f:  # a compressed input that fails part-way
        f.write(gzip.compress(data)[:-200])
    for names, n_failed in (([good, missing], 1), ([good, path("cut.dlt.gz")], 1), ([missing, path("dir")], 2)):
        what = "--sort %s" % " ".join(os.path.basename(n) for n in names)
        rc, out, err = run("--stats=json", "--sort", *names)
        lines = err.decode().strip().split("\n")
        check(rc == (3 if n_failed == len(names) else 4) and len(lines) == n_failed,
              "%s: exit %d, a line per failed input: %r" % (what, rc, err))
        r = json.loads(out)
        valid(r, what)
        rows = r["inputs"]
        check(len(rows) == 1 and rows[0]["input"] == "sorted", "%s: one row, sorted: %r" % (what, rows))
        want = "%d of %d inputs failed: %s" % (n_failed, len(names), "; ".join(lines))
        check(rows[0]["status"] == "failed" and rows[0]["reason"] == want,
              "%s: the row is failed, its reason the lines (%r, %r)" % (what, rows[0]["status"], rows[0]["reason"]))
        rc, out, _ = run("--stats", "--sort", *names)
        row = out.decode().split("\n")[1]
        check(row.startswith("sorted") and ("failed: %d of %d inputs failed: " % (n_failed, len(names))) in row,
              "%s: text: the row says failed: %r" % (what, row))
    rc, out, _ = run("--stats=json", "--sort", good, good)
    check(rc == 0 and json.loads(out)["inputs"][0]["status"] == "ok", "--sort of good inputs: ok (%d)" % rc)
    # --lifecycle without --sort: each input its row, as without the option.
    names = [good, missing, path("cut.dlt.gz")]
    rc, out, err = run("--stats=json", "--lifecycle=1", *names)
    rows = json.loads(out)["inputs"]
    check(rc == 4 and [i["input"] for i in rows] == names and [i["status"] for i in rows] == ["ok", "failed", "failed"],
          "--lifecycle=1: a row per input, in order (%d %r)" % (rc, [(i["input"], i["status"]) for i in rows]))
    check([i["reason"] for i in rows[1:]] == err.decode().strip().split("\n"),
          "--lifecycle=1: the reasons are stderr's lines: %r" % err)
    # -c: every input its count, in order, also a failed one (0 when it could not be opened).
    for args in ((), ("--lifecycle=1",)):
        count = int(run("-c", *args, good)[1])
        rc, out, _ = run("-c", *args, good, missing, path("dir"), good)
        want = "%s:%d\n%s:0\n%s:0\n%s:%d\n" % (good, count, missing, path("dir"), good, count)
        check(rc == 4 and out.decode() == want, "-c %s: a count per input: %r" % (" ".join(args), out))
    rc, out, _ = run("-c", missing)
    check(rc == 3 and out == b"0\n", "-c of a missing input: 0 (%d %r)" % (rc, out))


def columns(s):
    """Terminal columns of `s` (East Asian wide: 2, combining: 0)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def check_names():
    odd = path("日本語\u2028ログ.dlt")
    with open(path("good.dlt"), "rb") as f, open(odd, "wb") as g:
        g.write(f.read())
    rc, out, _ = run("--stats", odd, path("good.dlt"))
    text = out.decode("utf-8")
    check(rc == 0, "CJK name: exit %d" % rc)
    for ch in ("\u2028", "\u2029", "\u202e"):
        check(ch not in text, "text report: no raw U+%04X" % ord(ch))
    check("日本語\\xE2\\x80\\xA8ログ.dlt" in text, "text report: the separator escaped as \\xHH, CJK as it is")
    table = text.split("\n\n")[0].split("\n")
    # Right-aligned columns end at the same terminal column in every row.
    ends = {columns(line[:line.index("  ok") if "  ok" in line else len(line)]) for line in table[1:3]}
    head = table[0]
    check(len(ends) == 1 and ends == {columns(head[:head.index("skipped bytes") + len("skipped bytes")])},
          "inputs table aligned by display width:\n%s" % "\n".join(table))
    rc, out, _ = run("--stats=json", odd)
    check(json.loads(out)["inputs"][0]["input"] == odd, "JSON: the name as it is")
    check(b"\\u2028" in out, "JSON: U+2028 as \\u2028")


def main():
    global VALIDATOR
    os.makedirs(WORK, exist_ok=True)
    VALIDATOR = schema_validator(SCHEMA)
    check_failed_inputs()
    check_sorted_failed_inputs()
    check_names()
    check_stop()
    finish()


if __name__ == "__main__":
    main()
