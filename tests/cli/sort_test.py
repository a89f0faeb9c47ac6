#!/usr/bin/python3
"""Issue #24: one timeline from many recordings. Generated multi-ECU drives with restarts
(tools/drivegen: every message's true time, ECU and lifecycle known) go through
`dltdump --sort` whole, split into DLT files at random points, partly as PCAP-NG captures,
as a folder of 10 000 small files (-R), with regions shuffled, the logger's clock jumping and
messages without device time; the order must be the generator's true order (or, where no
algorithm can know it, what docs/sorting.md promises), the same for 1 and 2 threads and for
every split, in every output kind. --lifecycles and --lifecycle against the generator's
lifecycles; dlt-sortbytimestamp beside it where its assumptions hold. Memory is checked to
stay bounded (peak RSS of the run).

Usage: sort_test.py DLTDUMP DRIVEGEN WORK_DIR"""
import csv
import io
import json
import os
import random
import re
import resource
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_checks import ENV, check, finish, fresh_dir, runner  # noqa: E402

dltdump, drivegen, work = sys.argv[1], sys.argv[2], sys.argv[3]
fresh_dir(work)
run = runner(dltdump)
rng = random.Random(24)
SEQ = re.compile(rb"seq=(\d+)")
# Sanitizer runtimes reserve shadow memory: a peak-memory bound means nothing there.
SANITIZED = bool(os.environ.get("DLTDUMP_SANITIZED"))
if SANITIZED:
    print("SKIP peak memory bounds: a sanitized build")


def drive(name, *args):
    """Runs drivegen into WORK/name/; returns (dir, parts sorted by name, truth rows, lifecycles)."""
    d = os.path.join(work, name)
    os.makedirs(d)
    prefix = os.path.join(d, "part")
    truth, lcs = os.path.join(work, name + ".truth"), os.path.join(work, name + ".lcs")
    subprocess.run([drivegen, *args, "--truth", truth, "--lifecycles", lcs, "-o", prefix], check=True)
    rows = [line.split() for line in open(truth)]
    lifecycles = [line.split() for line in open(lcs)]
    return d, sorted(os.path.join(d, f) for f in os.listdir(d)), rows, lifecycles


def seqs(out):
    """The seq numbers of the lines or records in `out`, the first of each line."""
    return [int(m.group(1)) for m in (SEQ.search(line) for line in out.splitlines()) if m]


def sorted_lines(*args):
    code, out, err = run("--sort", *args)
    check(code == 0 and err == b"", "--sort %s: exit %d, %r" % (" ".join(args)[-120:], code, err[:300]))
    return out


def peak_rss_mib(*args):
    """Runs dltdump in a child of its own and returns (exit code, its peak RSS in MiB)."""
    code = os.fork()
    if code == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.execve(dltdump, [dltdump, *args], ENV)
    _, status, usage = os.wait4(code, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024


# --- A drive of 3 ECUs with restarts, split into 6 parts of which two are captures ---------
d, parts, truth, lcs = drive("mixed", "--ecus", "3", "--count", "30000", "--restart-every", "2500", "--parts", "6",
                             "--pcapng-parts", "1,4", "--seed", "3")
true_order = [int(r[0]) for r in truth]
text1 = sorted_lines("--threads=1", *parts)
check(seqs(text1) == true_order, "mixed drive: --sort gives the true order")
check(sorted_lines("--threads=2", *parts) == text1, "mixed drive: 1 and 2 threads give the same bytes")

# The same drive unsplit: the same lines (a split never changes the order).
d1, whole, truth1, _ = drive("whole", "--ecus", "3", "--count", "30000", "--restart-every", "2500", "--seed", "3")
check(truth1 == truth, "drivegen: the same drive whatever the parts")
check(sorted_lines(*whole) == text1, "the same drive in one file and in 6 parts (2 captures): the same lines")
# Split once more at other points, all DLT: the same order.
d2, parts2, _, _ = drive("split9", "--ecus", "3", "--count", "30000", "--restart-every", "2500", "--seed", "3",
                         "--parts", "9")
check(seqs(sorted_lines(*parts2)) == true_order, "9 parts: the true order")

# Every output kind after the merge.
for ext in ("dlt", "jsonl", "csv", "pcapng", "txt"):
    out = os.path.join(work, "mixed." + ext)
    code, _, err = run("--sort", "-o", out, *parts)
    check(code == 0 and err == b"", "-o %s: exit %d %r" % (ext, code, err[:200]))
    if ext == "dlt":
        code, back, _ = run(out)
        check(code == 0 and back == text1, "-o x.dlt read back without --sort: the sorted lines")
    elif ext == "pcapng":
        code, back, _ = run("--threads=1", out)
        check(code == 0 and seqs(back) == true_order, "-o x.pcapng read back: the true order")
    else:
        data = open(out, "rb").read()
        check(seqs(data) == true_order, "-o x.%s: the true order" % ext)
        if ext == "jsonl":
            recs = [json.loads(line) for line in data.splitlines()]
            check(all(r["ecu"] in ("ECU1", "ECU2", "ECU3") for r in recs), "JSON records name the ECU")
code, out, _ = run("--sort", "-c", *parts)
check(code == 0 and out.strip() == b"30000", "--sort -c counts every message: %r" % out[:50])
code, out, _ = run("--sort", "--stats=json", *parts)
report = json.loads(out) if code == 0 else {}
check(report.get("messages") == 30000, "--sort --stats=json: 30000 messages")

# Filters after the merge: as filtering the sorted lines.
want = [ln for ln in text1.splitlines(keepends=True) if b" ECU2 " in ln]
check(sorted_lines("--ecuid=ECU2", *parts) == b"".join(want), "--sort --ecuid=ECU2: the sorted lines of ECU2")
nav = [ln for ln in text1.splitlines(keepends=True) if re.search(rb" ECU\d (NAV) ", ln)]
check(sorted_lines("--appid=NAV", "--threads=2", *parts) == b"".join(nav), "--sort --appid=NAV")

# -m counts in the merged order: the first matches of the sorted stream.
code, out, err = run("--sort", "-m", "5", "--ecuid=ECU3", *parts)
want = [ln for ln in text1.splitlines(keepends=True) if b" ECU3 " in ln][:5]
check(code == 0 and out == b"".join(want), "--sort -m 5 --ecuid=ECU3: the first 5 sorted matches (%d %r)" % (code, err))
# Context after the merge: as context over the sorted lines.
code, out, err = run("--sort", "-A1", "--ecuid=ECU1", "--threads=2", *parts)
lines1 = text1.splitlines(keepends=True)
keep = set()
for i, ln in enumerate(lines1):
    if b" ECU1 " in ln:
        keep.update((i, i + 1))
want = [lines1[i] for i in sorted(k for k in keep if k < len(lines1))]  # no separators (DltDump's -A)
check(code == 0 and out == b"".join(want), "--sort -A1 --ecuid=ECU1: context over the sorted lines")

# --- Long logger delays and parts missing (a tester's finding) ------------------------------------
# Delays up to 1.5 s, a message in 50 without device time, and the drive's parts given with
# some left out, or in reverse: within each true lifecycle of an ECU, its messages with
# device time come out in the order it made them (seq), and the full sort shows each
# lifecycle as --lifecycle=N does. (The merge's bound ignored keys above their storage
# times, from the rule's clock after a seeming set-back of the logger's: ~1 s falls.)
dd, dparts, dtruth, dlcs = drive("delays", "--ecus", "4", "--count", "50000", "--seed", "9", "--restart-every", "5000",
                                 "--max-delay-ms", "1500", "--no-device-time-every", "50", "--parts", "5")
timed_boot = {int(r[0]): (r[1], r[2]) for r in dtruth if r[5] != "-"}
for label, inputs in (("parts 1, 3, 4", [dparts[1], dparts[3], dparts[4]]),
                      ("parts 4 and 0", [dparts[4], dparts[0]])):
    got = seqs(sorted_lines(*inputs))
    last, falls = {}, 0
    for q in got:
        if q in timed_boot:
            falls += last.get(timed_boot[q], -1) > q
            last[timed_boot[q]] = q
    check(falls == 0 and len(got) > 0, "delays of 1.5 s, %s: each ECU's lifecycles in their order (%d falls)" %
          (label, falls))
    code, listing, _ = run("--lifecycles", *inputs)
    numbers = [line.split()[0] for line in listing.decode().splitlines()[1:]]
    # One lifecycle per boot the inputs hold (the first message after a missing part came
    # over a second late and began a second one for its boot).
    boots = {(r[1], r[2]) for r in dtruth if int(r[0]) in set(got)}
    check(code == 0 and len(numbers) == len(boots), "%s: %d lifecycles listed for %d boots" %
          (label, len(numbers), len(boots)))
    full = sorted_lines(*inputs).splitlines()
    # A message in 50 without device time keeps its place among messages up to 1.5 s late:
    # its counter goes back, again and again, and the loss is not counted (it read 158 405
    # missing among 41 440 messages before).
    code, out, _ = run("--sort", "--stats=json", *inputs)
    loss = json.loads(out)["loss"] if code == 0 else {}
    check(loss.get("counted") is False and "go back too often" in (loss.get("reason") or ""),
          "%s: --sort --stats=json counts no loss for counters that go back (%r)" % (label, loss.get("reason")))
    for n in numbers:
        one = run("--sort", "--lifecycle=" + n, *inputs)[1].splitlines()
        mine = set(one)
        check([ln for ln in full if ln in mine] == one, "%s: --lifecycle=%s is its part of the full sort" % (label, n))

# --stats places each of the largest gaps in its input, where its message is (a tester's
# finding: "input":"sorted", at an offset of the merged stream): parts left out of a drive
# whose messages all have device times are its only gaps.
_, gparts, _, _ = drive("gaps", "--ecus", "3", "--count", "30000", "--seed", "5", "--restart-every", "10000",
                        "--max-delay-ms", "200", "--parts", "5")
for label, inputs in (("parts 1, 3, 4", [gparts[1], gparts[3], gparts[4]]), ("parts 4 and 0", [gparts[4], gparts[0]])):
    code, out, _ = run("--sort", "--stats=json", *inputs)
    loss = json.loads(out)["loss"] if code == 0 else {}
    gaps = loss.get("largest_gaps") or []
    at = {}
    for path in inputs:
        for rec in (json.loads(line) for line in run("--out=json", path)[1].splitlines()):
            at[(rec["input"], rec["position"])] = rec
    check(code == 0 and gaps and all(at.get((g["input"], g["position"]), {}).get("counter") == g["counter_after"]
                                     for g in gaps),
          "%s: --sort --stats=json places its %d largest gaps in their inputs (%r, %r)" %
          (label, len(gaps), gaps[:1], loss.get("reason")))

# --- Lifecycles --------------------------------------------------------------------------------
code, listing, err = run("--lifecycles", *parts)
rows = [line.split() for line in listing.decode().splitlines()[1:]]
check(code == 0 and len(rows) == len(lcs), "--lifecycles lists %d lifecycles (%d listed)" % (len(lcs), len(rows)))
# The list as records for programs (a tester's finding: only a table to scrape): the
# table's rows, field by field, as JSON Lines and as CSV.
code, out, err = run("--lifecycles", "--out=json", *parts)
recs = [json.loads(line) for line in out.splitlines()]
check(code == 0 and err == b"" and len(recs) == len(rows) and all(
    [str(r["lifecycle"]), r["ecu"], "%.4f" % r["uptime_from"], "%.4f" % r["uptime_to"], str(r["messages"])] ==
    [row[0], row[1], row[-3], row[-2], row[-1]] for r, row in zip(recs, rows)),
      "--lifecycles --out=json: the table's rows (%r, %r)" % (recs[:1], rows[:1]))
check(all(a["start_us"] <= b["start_us"] and a["start_us"] <= a["end_us"] for a, b in zip(recs, recs[1:])),
      "--lifecycles --out=json: in order of start")
code, out, err = run("--lifecycles", "--out=csv", *parts)
table = list(csv.DictReader(io.StringIO(out.decode())))
check(code == 0 and err == b"" and [{k: str(v) for k, v in r.items() if not k.endswith("_us")} for r in recs] ==
      [{k: (v if k not in ("uptime_from", "uptime_to") else str(float(v))) for k, v in t.items()} for t in table],
      "--lifecycles --out=csv: the JSON records' fields (%r)" % table[:1])
# The generator's lifecycles, by the first message's true time (the list's order).
by_start = sorted(lcs, key=lambda l: int(l[3]))
for n, (row, lc) in enumerate(zip(rows, by_start), 1):
    check(row[0] == str(n) and row[1] == lc[0] and row[-1] == lc[5],
          "lifecycle %d: %s (%s) with %s messages, listed as %r" % (n, lc[0], lc[1], lc[5], row))
# --lifecycle=N: exactly that lifecycle's messages, in their (sorted) order.
for n in (1, len(lcs) // 2, len(lcs)):
    ecu, lc = by_start[n - 1][0], by_start[n - 1][1]
    want = [int(r[0]) for r in truth if r[1] == ecu and r[2] == lc]
    code, out, err = run("--sort", "--lifecycle=%d" % n, *parts)
    check(code == 0 and seqs(out) == want, "--sort --lifecycle=%d: the %d messages of %s lifecycle %s" %
          (n, len(want), ecu, lc))
    code, out, err = run("--lifecycle=%d" % n, "--threads=1", *parts)
    check(code == 0 and sorted(seqs(out)) == sorted(want), "--lifecycle=%d without --sort: the same messages" % n)
code, out, err = run("--lifecycle=999", *parts)
check(code == 0 and out == b"" and b"no lifecycle 999" in err, "--lifecycle=999: a warning, nothing printed")
# Without --sort each input stays an input of its own (a tester found them merged into one
# named after the first): its own count, its own %FILE% file, its own --stats row.
# Lifecycles are numbered over all the run's inputs: each input's share, from the records;
# the first lifecycle that spans several inputs.
for n in range(1, len(lcs) + 1):
    recs = [json.loads(line) for line in run("--out=json", "--lifecycle=%d" % n, *parts)[1].splitlines()]
    share = {p: sum(r["input"] == p for r in recs) for p in parts}
    if sum(1 for c in share.values() if c) > 1:
        break
check(sum(1 for c in share.values() if c) > 1, "a lifecycle spans several inputs (%r)" % share)
code, out, err = run("-c", "--lifecycle=%d" % n, *parts)
check(code == 0 and out.decode().splitlines() == ["%s:%d" % (p, share[p]) for p in parts],
      "-c --lifecycle=%d without --sort: a count per input (%r)" % (n, out[:200]))
out_dir = fresh_dir(os.path.join(work, "lc-per-file"))
code, out, err = run("--lifecycle=%d" % n, "-o", os.path.join(out_dir, "%FILE%.txt"), *parts)
names = [os.path.splitext(os.path.basename(p))[0] + ".txt" for p in parts if share[p]]
written = [open(os.path.join(out_dir, f), "rb").read() for f in names]
check(code == 0 and sorted(os.listdir(out_dir)) == sorted(names) and
      [w.count(b"\n") for w in written] == [share[p] for p in parts if share[p]] and
      b"".join(written) == run("--lifecycle=%d" % n, *parts)[1],
      "--lifecycle=%d -o %%FILE%%.txt without --sort: each input's lines in its own file (%r)" %
      (n, sorted(os.listdir(out_dir))))
# An input refused at its opening (an archive: read side by side it cannot be) counts 0, as
# every input that fails does under -c (a missing file too), in its place among the inputs.
# Its lifecycles are not counted: N is the one of the other inputs.
archive = os.path.join(work, "parts.zip")
subprocess.run(["zip", "-q", "-j", archive, parts[0]], check=True)
alone = run("-c", "--lifecycle=1", parts[1])[1].decode().strip()  # one input: no name
code, out, err = run("-c", "--lifecycle=1", archive, parts[1])
check(code == 4 and out.decode() == "%s:0\n%s:%s\n" % (archive, parts[1], alone) and int(alone) > 0 and b"a zip archive" in err and err.count(b"\n") == 1,
      "-c --lifecycle=1 with an archive: the archive refused in one line, its count 0 (%d %r %r)" %
      (code, out, err))
code, out, err = run("--stats=json", "--lifecycle=%d" % n, *parts)
rows = [r["input"] for r in json.loads(out)["inputs"]]
check(code == 0 and rows == parts, "--stats --lifecycle=%d without --sort: a row per input (%r)" % (n, rows))
code, out, err = run("--stats=json", "--sort", "--lifecycle=%d" % n, *parts)
rows = [r["input"] for r in json.loads(out)["inputs"]]
check(code == 0 and rows == ["sorted"], "--stats --sort --lifecycle=%d: the merged stream's one row (%r)" % (n, rows))


# --- Files by lifecycle: -o 'x_%LC%.<ext>' (--split=lifecycle) -------------------------------------
def files_by_lifecycle(label, inputs, count, *args):
    """Writes every output kind by lifecycle; each file must hold what --lifecycle=N gives."""
    for ext in ("dlt", "txt", "csv", "jsonl", "pcapng"):
        out_dir = fresh_dir(os.path.join(work, "by-lc-%s-%s" % (label, ext)))
        code, out, err = run(*args, "-o", os.path.join(out_dir, "lc_%LC%." + ext), "--split=lifecycle", *inputs)
        names = sorted(os.listdir(out_dir))
        check(code == 0 and err == b"" and names == ["lc_%03d.%s" % (n, ext) for n in range(1, count + 1)],
              "%s -o lc_%%LC%%.%s: one file per lifecycle (%d %r, %d files)" % (label, ext, code, err[:200], len(names)))
        for n in sorted({1, 2, count // 2, count}):
            ref = os.path.join(out_dir, "ref." + ext)
            code, _, err = run(*args, "--lifecycle=%d" % n, "-o", ref, *inputs)
            mine = open(os.path.join(out_dir, "lc_%03d.%s" % (n, ext)), "rb").read()
            theirs = open(ref, "rb").read()
            os.remove(ref)
            if ext == "pcapng":  # a file taken up again has a section more: compare the messages
                got = run(os.path.join(out_dir, "lc_%03d.%s" % (n, ext)))[1]
                check(code == 0 and seqs(got) == seqs(run(*args, "--lifecycle=%d" % n, *inputs)[1]),
                      "%s lc_%03d.pcapng: the messages of --lifecycle=%d" % (label, n, n))
                continue
            # Records name each message's own input and offset there, in both runs.
            check(code == 0 and mine == theirs and len(mine) > 0,
                  "%s lc_%03d.%s: the bytes of --lifecycle=%d" % (label, n, ext, n))


files_by_lifecycle("mixed", parts, len(lcs), "--sort")
files_by_lifecycle("unsorted", parts, len(lcs))
# More lifecycles overlapping in time than files are kept open at once (16): taken up again.
d18, p18a, t18a, l18a = drive("eighteen-a", "--ecus", "9", "--count", "12000", "--restart-every", "4000", "--parts", "2")
d18b, p18b, t18b, l18b = drive("eighteen-b", "--ecus", "9", "--first-ecu", "20", "--count", "12000",
                                "--restart-every", "4000", "--seed", "8")
code, listing, err = run("--lifecycles", *p18a, *p18b)
files_by_lifecycle("eighteen", p18a + p18b, len(listing.splitlines()) - 1, "--sort")
# A lifecycle's file that exists already: refused before anything is written.
out_dir = fresh_dir(os.path.join(work, "by-lc-exists"))
open(os.path.join(out_dir, "lc_003.dlt"), "w").write("keep")
code, out, err = run("--sort", "-o", os.path.join(out_dir, "lc_%LC%.dlt"), *parts)
check(code == 3 and b"lc_003.dlt' already exists" in err and err.count(b"\n") == 1 and
      sorted(os.listdir(out_dir)) == ["lc_003.dlt"], "an existing lifecycle file: exit 3 before any file (%d %r %r)" %
      (code, err, sorted(os.listdir(out_dir))[:5]))
code, out, err = run("--sort", "-f", "-o", os.path.join(out_dir, "lc_%LC%.dlt"), *parts)
check(code == 0 and len(os.listdir(out_dir)) == len(lcs), "... and with -f, every file (%d %r)" % (code, err))
# Provenance: a record names its own input and its offset there.
code, out, err = run("--sort", "--out=json", *parts[:2])
recs = [json.loads(line) for line in out.splitlines()]
inputs_named = {r["input"] for r in recs}
check(code == 0 and inputs_named == set(parts[:2]), "--sort JSON: each record names its input (%r)" % inputs_named)
by_input = {p: {json.loads(line)["position"]: json.loads(line)["text"] for line in run("--out=json", p)[1].splitlines()}
            for p in parts[:2]}
check(all(by_input[r["input"]].get(r["position"]) == r["text"] for r in recs),
      "--sort JSON: each record's position is its message's offset in its input")
code, out, err = run("-o", os.devnull, parts[0])
check(code == 0 and err == b"", "-o /dev/null: written to, not refused (%d %r)" % (code, err))
code, out, err = run("--lifecycle=999", parts[0])
check(err.startswith(b"dltdump: warning: Option 'lifecycle': there is no lifecycle 999"),
      "--lifecycle=999: a warning as the command line's (%r)" % err)
# --lifecycles prints a list, not lines: --time and --position say they do nothing there.
for opt in ("--time=utc", "--position"):
    code, out, err = run("--lifecycles", opt, parts[0])
    check(code == 0 and out == run("--lifecycles", parts[0])[1] and err.count(b"\n") == 1 and
          b"has no effect with 'lifecycles'" in err, "--lifecycles %s: one warning (%d %r)" % (opt, code, err))

for args, want in ((["-o", os.path.join(work, "x.dlt"), "--split=lifecycle"], b"needs %LC%"),
                   (["--split=lifecycle"], b"needs %LC%"),
                   (["-o", os.path.join(work, "x_%LC%.dlt"), "--split=1M"], b"cannot be combined with %LC%"),
                   (["-o", os.path.join(work, "x_%LC%.dlt"), "--follow"], b"cannot be combined with %LC%"),
                   (["-o", os.path.join(work, "x_%LC%.dlt"), "-"], b"reads its inputs twice")):
    code, out, err = run(*args, parts[0])
    check(code == 1 and want in err and err.count(b"\n") == 1,
          "%s: exit 1, one line with %r (%d %r)" % (" ".join(args)[-50:], want, code, err))

# --- One ECU with 1000 lifecycles, in 5 files -------------------------------------------------
d, parts, truth, lcs = drive("thousand", "--lifecycles-of-one", "1000", "--count", "20000", "--parts", "5")
check(seqs(sorted_lines(*parts)) == [int(r[0]) for r in truth], "1000 lifecycles: the true order")
code, listing, _ = run("--lifecycles", *parts)
check(code == 0 and len(listing.splitlines()) == 1001, "1000 lifecycles listed")

# --- Messages without device time keep their place after the one before them ----------------
d, parts, truth, lcs = drive("nodevice", "--ecus", "3", "--count", "20000", "--restart-every", "3000",
                             "--no-device-time-every", "7", "--parts", "3")
out = seqs(sorted_lines(*parts))
timed = [int(r[0]) for r in truth if r[5] != "-"]
untimed = {int(r[0]) for r in truth if r[5] == "-"}
check(sorted(out) == sorted(int(r[0]) for r in truth), "without device time: every message once")
check([s for s in out if s not in untimed] == timed, "without device time: the timed messages in true order")
# In the files, the message before each untimed one; it must come out before it.
file_order = []
for p in parts:
    code, lines, _ = run("--threads=1", p)
    file_order += seqs(lines)
place = {s: i for i, s in enumerate(out)}
prev_ok = all(place[file_order[i - 1]] < place[s] for i, s in enumerate(file_order) if s in untimed and i > 0)
check(prev_ok, "an untimed message comes after the message before it in its file")

# --- Shuffled regions and a clock jump in one file ------------------------------------------------
def messages_of(path):
    data = open(path, "rb").read()
    out, at = [], 0
    while at < len(data):
        length = struct.unpack(">H", data[at + 18:at + 20])[0]
        out.append(bytearray(data[at:at + 16 + length]))
        at += 16 + length
    return out


d, parts, truth, lcs = drive("shuffle", "--ecus", "3", "--count", "20000", "--restart-every", "4000")
msgs = messages_of(parts[0])
regions = [msgs[i:i + 700] for i in range(0, len(msgs), 700)]
rng.shuffle(regions)
shuffled = os.path.join(work, "shuffled.dlt")
with open(shuffled, "wb") as f:
    for r in regions:
        f.write(b"".join(r))
check(seqs(sorted_lines(shuffled)) == [int(r[0]) for r in truth], "shuffled regions: the true order")


# The logger's clock jumps an hour ahead from the middle on: lifecycles and their inner order
# stand (device time), every message is there once.
jumped = os.path.join(work, "jumped.dlt")
with open(jumped, "wb") as f:
    for i, m in enumerate(msgs):
        if i >= len(msgs) // 2:
            secs = struct.unpack("<I", m[4:8])[0] + 3600
            m[4:8] = struct.pack("<I", secs)
        f.write(m)
out = seqs(sorted_lines(jumped))
check(sorted(out) == sorted(int(r[0]) for r in truth), "clock jump: every message once")
code, listing, _ = run("--lifecycles", jumped)
check(len(listing.splitlines()) - 1 == len(lcs), "clock jump: the lifecycles stay %d" % len(lcs))
lc_of = {int(r[0]): (r[1], r[2]) for r in truth}
inner = {}
for s in out:
    inner.setdefault(lc_of[s], []).append(s)
check(all(v == sorted(v) for v in inner.values()), "clock jump: each lifecycle in device-time order")

# The logger's clock set back an hour from the middle on (issue 24, finding 1): the lifecycle
# it happens in keeps its anchor, later boots stay after earlier ones, so each ECU's messages
# come out in the order the ECU made them.
jumped_back = os.path.join(work, "jumped_back.dlt")
with open(jumped_back, "wb") as f:
    for i, m in enumerate(messages_of(parts[0])):
        if i >= len(msgs) // 2:
            secs = struct.unpack("<I", m[4:8])[0] - 3600
            m[4:8] = struct.pack("<I", secs)
        f.write(m)
out = seqs(sorted_lines(jumped_back))
check(sorted(out) == sorted(int(r[0]) for r in truth), "clock set back: every message once")
ecu_of = {int(r[0]): r[1] for r in truth}
by_ecu = {}
for s in out:
    by_ecu.setdefault(ecu_of[s], []).append(s)
check(all(v == sorted(v) for v in by_ecu.values()), "clock set back: each ECU's messages in its order")
code, listing, _ = run("--lifecycles", jumped_back)
check(len(listing.splitlines()) - 1 == len(lcs), "clock set back: the lifecycles stay %d" % len(lcs))

# An ECU that sets WTMS but sends device time 0 in every message (issue 24, finding 2): a 0
# counts as no device time, so its messages are placed by storage time, not all at its first.
stuck = os.path.join(work, "stuck.dlt")
with open(stuck, "wb") as f:
    for m in messages_of(parts[0]):
        htyp = m[16]
        if m[20:24] == b"ECU2" and htyp & 0x10:
            at = 20 + 4 * bool(htyp & 0x04) + 4 * bool(htyp & 0x08)
            m[at:at + 4] = b"\0\0\0\0"
        f.write(m)
out = seqs(sorted_lines(stuck))
storage = {int(r[0]): int(r[4]) for r in truth}
last = max(i for i, s in enumerate(out) if ecu_of[s] == "ECU2")
before = set(out[:last])
check(sorted(out) == sorted(int(r[0]) for r in truth) and
      all(s in before for s in out if storage[s] < storage[out[last]] - 100000),
      "device time 0: placed by storage time")

# --- A folder of 10 000 small files (-R) ------------------------------------------------------
d, parts, truth, lcs = drive("folder", "--ecus", "3", "--count", "30000", "--restart-every", "5000")
msgs = messages_of(parts[0])
folder = os.path.join(work, "folder-10000")
for i in range(10000):
    sub = os.path.join(folder, "%02d" % (i // 1000))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "part_%05d.dlt" % i), "wb") as f:
        f.write(b"".join(msgs[i * 3:i * 3 + 3]))
open(os.path.join(folder, ".hidden.dlt"), "wb").write(b"".join(msgs[:10]))  # left out
check(seqs(sorted_lines("-R", folder)) == [int(r[0]) for r in truth], "-R folder of 10 000 files: the true order")
code, rss = peak_rss_mib("--sort", "-R", folder)
check(code == 0 and (SANITIZED or rss < 256), "-R folder of 10 000 files: peak RSS %.0f MiB (< 256)" % rss)

# --- dlt-sortbytimestamp where its assumptions hold: one ECU, lifecycles over 50 s apart ------
if shutil.which("dlt-sortbytimestamp"):
    d, parts, truth, lcs = drive("oneecu", "--ecus", "1", "--count", "12000", "--restart-every", "4000",
                                 "--step-us", "500")
    theirs = os.path.join(work, "oneecu-sortbytimestamp.dlt")
    subprocess.run(["dlt-sortbytimestamp", parts[0], theirs], check=True, capture_output=True)
    code, their_lines, _ = run(theirs)
    ours = seqs(sorted_lines(parts[0]))
    check(ours == [int(r[0]) for r in truth], "one ECU: the true order")
    check(seqs(their_lines) == ours, "one ECU, lifecycles > 50 s: dlt-sortbytimestamp's order is ours")
else:
    print("SKIP dlt-sortbytimestamp comparison: dlt-sortbytimestamp (Debian dlt-tools) is not installed")

# Shuffled further than 64 MiB of messages can be held back: sorted through runs on disk,
# exactly, in bounded memory; on a full disk for the runs, that input fails in one line.
# The file is made and shuffled by child processes, and the memory measured before this
# process reads the truth, so that its own size does not count (a child's peak RSS starts
# from its parent's).
far_dir = fresh_dir(os.path.join(work, "far"))
far_truth = os.path.join(work, "far.truth")
subprocess.run([drivegen, "--ecus", "3", "--count", "1500000", "--restart-every", "400000", "--truth", far_truth,
                "-o", os.path.join(far_dir, "part")], check=True)
far = os.path.join(work, "far.dlt")
subprocess.run(["/usr/bin/python3", "-c", """
import random, struct, sys
data = open(sys.argv[1], "rb").read()
msgs, i = [], 0
while i < len(data):
    n = 16 + struct.unpack(">H", data[i + 18:i + 20])[0]
    msgs.append(data[i:i + n])
    i += n
regions = [b"".join(msgs[i:i + 50000]) for i in range(0, len(msgs), 50000)]
random.Random(7).shuffle(regions)
open(sys.argv[2], "wb").write(b"".join(regions))
""", os.path.join(far_dir, "part_000.dlt"), far], check=True)
if not SANITIZED:  # (the run below reads it all under the sanitizer)
    code, rss = peak_rss_mib("--sort", far)
    check(code == 0 and rss < 256, "far out of order: peak RSS %.0f MiB (< 256)" % rss)
tmp = fresh_dir(os.path.join(work, "tmp"))
r = subprocess.run([dltdump, "--sort", far], capture_output=True, env={**ENV, "TMPDIR": tmp})
check(r.returncode == 0 and r.stderr == b"" and seqs(r.stdout) == [int(line.split()[0]) for line in open(far_truth)],
      "far out of order (%d MB): the true order through runs on disk (%d %r)" % (os.path.getsize(far) >> 20,
                                                                                 r.returncode, r.stderr[:200]))
check(os.listdir(tmp) == [], "far out of order: no temporary file left behind")
del r
# --progress follows the survey's reading of each input, then the merge (which is longer).
# (Not under a sanitizer: one more read of the far file, for the progress line's words.)
if SANITIZED:
    print("SKIP --sort --progress on the far file: a sanitized build (the release build checks it)")
else:
    r = subprocess.run([dltdump, "--progress=always", "--sort", far], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, env=ENV)
    check(r.returncode == 0 and b"[sort] merging" in r.stderr, "--sort --progress: the merge has its line (%d %r)" %
          (r.returncode, r.stderr[-200:]))
# A disk full at once, and one full after the first runs were written (the far file's
# messages take about 100 MB of runs).
for size in ("2m", "70m"):
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", tmp],
                                           capture_output=True).returncode != 0:
        print("SKIP runs on a full disk: needs root to mount a tmpfs")
        break
    try:
        r = subprocess.run([dltdump, "--sort", far], capture_output=True, env={**ENV, "TMPDIR": tmp})
        check(r.returncode == 3 and b"too far out of order" in r.stderr and b"No space left" in r.stderr and
              r.stderr.count(b"\n") == 1, "runs on a full disk (%s): the input fails in one line (%d %r)" %
              (size, r.returncode, r.stderr[:300]))
    finally:
        subprocess.run(["umount", tmp])
# Several inputs, TMPDIR on a 1 MiB tmpfs: the input too far out of order fails in one line
# naming TMPDIR and the error, the others are merged whole, the exit code counts the
# failure (4) — also when -m ends the merge early — and TMPDIR is left empty.
in_order = os.path.join(far_dir, "part_000.dlt")  # the far file's messages, not shuffled
if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", tmp],
                                       capture_output=True).returncode != 0:
    print("SKIP several inputs on a full TMPDIR: needs root to mount a tmpfs")
else:
    try:
        # (Under a sanitizer -m 5 only: the whole merge of the other input is the far file's.)
        for args, lines in ([(["-m", "5"], 5)] if SANITIZED else [([], sum(1 for _ in open(far_truth))),
                                                                   (["-m", "5"], 5)]):
            r = subprocess.run([dltdump, "--sort", *args, far, in_order], capture_output=True,
                               env={**ENV, "TMPDIR": tmp})
            want = (far.encode() + b": too far out of order to sort in memory, and cannot write to a temporary "
                    b"file in " + tmp.encode() + b" for its sorted runs (No space left on device)\n")
            check(r.returncode == 4 and r.stderr == want and r.stdout.count(b"\n") == lines and
                  os.listdir(tmp) == [],
                  "several inputs, full TMPDIR %s: one line, exit 4, the other input's %d lines, nothing left "
                  "(%d, %d lines, %r, %r)" % (" ".join(args), lines, r.returncode, r.stdout.count(b"\n"),
                                              r.stderr[:300], os.listdir(tmp)))
    finally:
        subprocess.run(["umount", tmp])

# --- What cannot be sorted, in one line each ------------------------------------------------------
for args, want_code, want in ((["--sort", "-"], 1, b"reads its inputs twice"),
                              (["--sort", "udp://127.0.0.1:3490"], 1, b"is no regular file"),
                              (["--lifecycle=0", parts[0]], 1, b"lifecycle numbers"),
                              (["--lifecycles", "-o", os.path.join(work, "x.txt"), parts[0]], 1, b"cannot be combined"),
                              (["--sort", d], 3, b"directory"),
                              (["--sort", "-R", os.path.join(work, "empty")], 3, b"finds no file")):
    os.makedirs(os.path.join(work, "empty"), exist_ok=True)
    code, out, err = run(*args)
    check(code == want_code and want in err and err.count(b"\n") == 1,
          "%s: exit %d (want %d), one line with %r: %r" % (" ".join(args)[-60:], code, want_code, want, err))

# --- What each input's run says, said by a sorted run too; output files as always --------
d, parts, truth, lcs = drive("diag", "--ecus", "2", "--count", "3000", "--parts", "2", "--pcapng-parts", "1")
garbage = os.path.join(work, "garbage.bin")
open(garbage, "wb").write(bytes(rng.randrange(256) for _ in range(5000)))
code, out, err = run("--sort", garbage, *parts)
check(code == 0 and b"no DLT message in 5000 bytes" in err and err.count(b"\n") == 1,
      "--sort: the warning for an input of nothing but skipped bytes (%d %r)" % (code, err))
code, out, err = run("--sort", "--udp-port=9999", parts[1])
check(code == 3 and b"no UDP datagrams to port 9999" in err and err.count(b"\n") == 1,
      "--sort: a capture without DLT on the ports fails in one line (%d %r)" % (code, err))
code, out, err = run("--sort", "--udp-port=9999", parts[0], parts[1])
check(code == 4, "--sort: one input of two failing is exit 4 (%d)" % code)
exists = os.path.join(work, "exists.txt")
open(exists, "w").write("x")
for args, want in ((["-o", exists], b"already exists"), (["-f", "-o", parts[0]], b"input file"),
                   (["-o", os.path.join(work, "no", "dir", "x.txt")], b"create")):
    code, out, err = run("--sort", *args, *parts)
    check(code == 3 and want in err and err.count(b"\n") == 1 and b"internal" not in err,
          "--sort %s: exit 3, one line (%d %r)" % (args[-1][-20:], code, err))
check(open(exists).read() == "x", "--sort -o existing: the file is untouched")
fifo = os.path.join(work, "fifo")
os.mkfifo(fifo)
for opt in ("--sort", "--lifecycle=1"):
    code, out, err = run(opt, fifo, *parts)
    check(code == 1 and b"no regular file" in err, "%s on a FIFO: refused at once (%d %r)" % (opt, code, err))
code, out, err = run("--lifecycles", "--appid=NAV", *parts)
check(code == 0 and b"warning" in err and b"no effect" in err, "--lifecycles with a filter: a warning (%r)" % err)

# Many inputs open at once under a low soft limit on open files: the run raises it.
d, parts, truth, lcs = drive("overlap", "--ecus", "3", "--count", "9000", "--seed", "5")
msgs = messages_of(parts[0])
many = os.path.join(work, "overlap-300")
os.makedirs(many)
for i in range(300):  # each file a message of every 300: all overlap in time
    with open(os.path.join(many, "f%03d.dlt" % i), "wb") as f:
        f.write(b"".join(msgs[i::300]))
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
if hard == resource.RLIM_INFINITY or hard >= 1024:
    r = subprocess.run([dltdump, "--sort", "-R", many], capture_output=True, env=ENV,
                       preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard)))
    check(r.returncode == 0 and seqs(r.stdout) == [int(t[0]) for t in truth],
          "300 overlapping files under a soft limit of 64 open files: the true order (%d %r)" % (r.returncode,
                                                                                                 r.stderr[:200]))
else:
    print("SKIP open file limit check: the hard limit is %d" % hard)

def interrupted(*args):
    """(stdout, stderr) of `dltdump ARGS` given SIGINT soon after it starts (tried after
    0.05, 0.02 and 0.2 s), or None when it ended before each signal."""
    for delay in (0.05, 0.02, 0.2):
        p = subprocess.Popen([dltdump, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
        try:
            p.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            p.send_signal(2)
        out, err = p.communicate()
        if p.returncode == 130:
            return out, err
    return None


# SIGINT while a sorted run reads its inputs a first time: nothing was merged yet, and the
# line says so (a bare 0, or no count at all, once looked like the inputs' content).
got = interrupted("-c", "--sort", "-R", many)
if got:
    check(got[1].endswith(b"(a run with --sort writes nothing before it has read every input once)\n") and
          got[1].count(b"\n") == 1, "SIGINT during --sort -c: the stop line says what was written (%r)" % got[1])
else:
    print("SKIP the stop of a sorted run: it ended before each signal")

# The same for --stats: the merged stream's row says it was not read, or stopped once the
# merge began (a new user's finding: stopped in the first reading, the report had no row
# at all), and the report says it was stopped.
got = interrupted("--stats=json", "--sort", "-R", many)
if got:
    report = json.loads(got[0])
    # Not read when the stop came in the first reading, stopped when in the merge.
    rows = [(i["input"], i["status"]) for i in report["inputs"]]
    check(rows in ([("sorted", "not_read")], [("sorted", "stopped")]) and report["stopped"],
          "SIGINT during --sort --stats: one row, sorted, not read or stopped (%r)" % got[0][:300])
else:
    print("SKIP the stop of a sorted --stats run: it ended before each signal")


# A DLT file written from a network recording holds storage headers of zeros: no time, as
# the recording's messages have none, so it sorts as the recording does (a new user's
# finding: it interleaved an ECU's two lifecycles, dated 1969, where the recording kept
# them apart), and its lifecycles have no dates.
def net_message(device, text, counter):
    payload = struct.pack("<IH", 0x8200, len(text) + 1) + text.encode() + b"\0"
    body = b"ECU5" + struct.pack(">I", device) + struct.pack("<BB4s4s", 0x41, 1, b"NET\0", b"CTX\0") + payload
    return struct.pack(">BBH", 0x35, counter & 255, 4 + len(body)) + body


zeros_net, zeros_dlt = os.path.join(work, "zeros.net"), os.path.join(work, "zeros.dlt")
with open(zeros_net, "wb") as f:  # uptime 200 s, then a restart at 1 s
    f.write(b"".join(net_message(2000000 + i * 1000, "seq=%d" % i, i) for i in range(10)) +
            b"".join(net_message(10000 + i * 1000, "seq=%d" % (10 + i), i) for i in range(10)))
code, _, err = run("-o", zeros_dlt, zeros_net)
check(code == 0, "the recording written as a DLT file: exit %d %r" % (code, err))
for name in (zeros_net, zeros_dlt):
    check(seqs(sorted_lines(name)) == list(range(20)), "--sort %s: the recording's order" % os.path.basename(name))
code, out, err = run("--lifecycles", zeros_dlt)
rows = [line.split() for line in out.decode().splitlines()[1:]]
check(code == 0 and [r[:4] for r in rows] == [["1", "ECU5", "-", "-"], ["2", "ECU5", "-", "-"]],
      "--lifecycles of a DLT file of zero times: two lifecycles without dates (%r)" % out[:300])

finish()
