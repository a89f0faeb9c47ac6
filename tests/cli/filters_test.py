#!/usr/bin/python3
"""The everyday filters and the time column (issue #23, items 3 and 5) against a model.

The reference is dltdump's own unfiltered decoding of each generated input: its JSON
records (`--out=json`) and its text lines, one line per record. A model written here
from the documented rules (docs/manual.md, "Filters and context") says which records a
command line selects: the groups (--appid, --ecuid, --type, -s, ...) and the exclusions
(--not-ecuid, --not-appid, --not-ctxid, --not-type) and --level AND-combined, -v inverting
the whole, then grep's context (-B, -A) and -m (per input: after the n-th matching
message the -A lines follow whatever they are, then the input ends; skip lines are shown,
not counted). dltdump's filtered output must be exactly that selection of the reference:
as JSON records, as text lines, as -c counts, as DLT and PCAP-NG files read back — with
--threads=1 and --threads=2 (byte for byte the same), with and without context.

The time column (--time=utc|iso|relative|device, and local in another time zone) is
checked against times computed from the JSON records' time_us.

Usage: filters_test.py DLTDUMP DLTGEN CAPGEN WORKDIR
"""
import csv
import datetime
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading

from cli_checks import ENV, check, finish, runner, sampled

DLTDUMP, DLTGEN, CAPGEN, WORK = (os.path.abspath(a) for a in sys.argv[1:5])
run = runner(DLTDUMP)

LEVELS = ["fatal", "error", "warn", "info", "debug", "verbose"]
TYPE_NAMES = {"fatal": 0x10, "error": 0x20, "warn": 0x30, "info": 0x40, "debug": 0x50, "verbose": 0x60,
              "request": 0x16, "response": 0x26}


def path(name):
    return os.path.join(WORK, name)


def gen(*args):
    subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL)


def records_of(out):
    return [json.loads(line) for line in out.decode().splitlines()]


class Input:
    """An input and its reference: records and text lines of the unfiltered run."""

    def __init__(self, name):
        self.name = name
        rc, out, err = run("--threads=1", "--out=json", name)
        check(rc == 0 and err == b"", "reference of %s: exit %d %r" % (name, rc, err[:200]))
        self.records = records_of(out)
        rc, out, err = run("--threads=1", name)
        self.lines = out.decode().splitlines(keepends=True)
        check(len(self.lines) == len(self.records), "%s: one line per record (%d lines, %d records)" %
              (name, len(self.lines), len(self.records)))


# -- the model ---------------------------------------------------------------------------

def fields(r):
    """What the filters compare: ECU, APP, CTX, type (MSIN & 0xFE, None: none) and text."""
    if r["record"] == "skip":  # skip lines are shown as ECU empty, SKIP SKIP, log warn
        return "", "SKIP", "SKIP", 0x30, r["text"]
    mstp = r["mstp"]
    typ = (r["mtin"] << 4) | (mstp << 1) if mstp is not None and mstp <= 3 else None
    return r["ecu"], r["app"], r["ctx"], typ, r["text"]


def selects(r, f):
    """Whether the filter options `f` (a dict) select record `r`."""
    ecu, app, ctx, typ, text = fields(r)
    ok = True
    if "ecuid" in f: ok = ok and ecu in f["ecuid"]
    if "appid" in f: ok = ok and app in f["appid"]
    if "ctxid" in f: ok = ok and ctx in f["ctxid"]
    if "type" in f: ok = ok and typ is not None and typ in [TYPE_NAMES[t] for t in f["type"]]
    if "not-ecuid" in f: ok = ok and ecu not in f["not-ecuid"]
    if "not-appid" in f: ok = ok and app not in f["not-appid"]
    if "not-ctxid" in f: ok = ok and ctx not in f["not-ctxid"]
    if "not-type" in f: ok = ok and typ not in [TYPE_NAMES[t] for t in f["not-type"]]
    if "level" in f:
        worst = LEVELS.index(f["level"]) + 1
        ok = ok and typ is not None and typ in [level << 4 for level in range(1, worst + 1)]
    if "string" in f or "regex" in f:  # -s and -r: one group
        ok = ok and (any(s in text for s in f.get("string", [])) or
                     any(re.search(python, text) for _, python in f.get("regex", [])))
    return ok != bool(f.get("invert"))


def model(inputs, f, m=None, before=0, after=0):
    """The (input index, record index) pairs printed, in order: grep's context and -m over
    the selection; context carries on across inputs, the -m count starts per input."""
    out, held, after_left = [], [], 0
    for k, inp in enumerate(inputs):
        count, stopping = 0, m == 0
        for i, r in enumerate(inp.records):
            if stopping:  # after the m-th match: the trailing context, then the input ends
                if after_left == 0:
                    break
                after_left -= 1
                out.append((k, i))
                if after_left == 0:
                    break
                continue
            if selects(r, f):
                out.extend(held)
                held = []
                out.append((k, i))
                after_left = after
                if m is not None and r["record"] == "message":
                    count += 1
                    if count >= m:
                        stopping = True
                        if after_left == 0:
                            break
            elif after_left > 0:
                after_left -= 1
                out.append((k, i))
            elif before > 0:
                held.append((k, i))
                held = held[-before:]
    return out


def args_of(f, m=None, before=0, after=0):
    a = []
    for key in ("ecuid", "appid", "ctxid", "type", "not-ecuid", "not-appid", "not-ctxid", "not-type"):
        if key in f:
            a.append("--%s=%s" % (key, ",".join(f[key])))
    if "level" in f: a.append("--level=" + f["level"])
    for s in f.get("string", []): a += ["-s", s]
    for pcre, _ in f.get("regex", []): a += ["-r", pcre]
    if f.get("invert"): a.append("-v")
    if m is not None: a += ["-m", str(m)]
    if before: a += ["-B", str(before)]
    if after: a += ["-A", str(after)]
    return a


def identity(r):
    """What a message keeps through a DLT or PCAP-NG file (a skip line is a SKIP message)."""
    if r["record"] == "skip":
        return ("SKIP", "SKIP", r["text"])
    return (r["app"], r["ctx"], r["text"])


def check_case(what, inputs, f, m=None, before=0, after=0, kinds=("json", "text", "count")):
    """dltdump's outputs for one command line against the model, for 1 and 2 threads."""
    args = args_of(f, m, before, after)
    names = [inp.name for inp in inputs]
    picked = model(inputs, f, m, before, after)
    expected_records = [inputs[k].records[i] for k, i in picked]
    label = "%s: %s" % (what, " ".join(args))
    total = sum(len(inp.records) for inp in inputs)
    if f and m != 0:  # a case that tells something: the filters leave out some, keep some
        check(0 < len(picked) < total, "%s: the model keeps %d of %d records" % (label, len(picked), total))
    if "json" in kinds:
        outs = []
        for threads in ("1", "2"):
            rc, out, err = run("--threads=" + threads, "--out=json", *args, *names)
            check(rc == 0, "%s --threads=%s: exit %d %r" % (label, threads, rc, err[:200]))
            outs.append(out)
        check(outs[0] == outs[1], "%s: JSON the same for 1 and 2 threads" % label)
        got = records_of(outs[0])
        if not check(got == expected_records, "%s: JSON records: %d, the model %d" %
                     (label, len(got), len(expected_records))):
            for n, (a, b) in enumerate(zip(got, expected_records)):
                if a != b:
                    print("  first difference at %d:\n   got  %s\n   want %s" % (n, a, b))
                    break
    if "text" in kinds:
        expected = "".join(inputs[k].lines[i] for k, i in picked).encode()
        outs = []
        for threads in ("1", "2"):
            rc, out, err = run("--threads=" + threads, *args, *names)
            check(rc == 0 and err == b"", "%s --threads=%s: exit %d %r" % (label, threads, rc, err[:200]))
            outs.append(out)
        check(outs[0] == outs[1], "%s: text the same for 1 and 2 threads" % label)
        check(outs[0] == expected, "%s: text lines: %d, the model %d" %
              (label, outs[0].count(b"\n"), expected.count(b"\n")))
    if "csv" in kinds:  # the same records as CSV rows: kind and position of each
        outs = []
        for threads in ("1", "2"):
            rc, out, err = run("--threads=" + threads, "--out=csv", *args, *names)
            check(rc == 0, "%s --out=csv --threads=%s: exit %d %r" % (label, threads, rc, err[:200]))
            outs.append(out)
        check(outs[0] == outs[1], "%s: CSV the same for 1 and 2 threads" % label)
        rows = list(csv.reader(io.StringIO(outs[0].decode(), newline="")))
        got = [(row[0], int(row[2])) for row in rows[1:]]
        check(rows[:1] and rows[0][:3] == ["record", "input", "position"] and
              got == [(r["record"], r["position"]) for r in expected_records],
              "%s: CSV rows: %d, the model %d" % (label, len(got), len(expected_records)))
    if "count" in kinds and not before and not after:
        for threads in ("1", "2"):
            rc, out, err = run("--threads=" + threads, "-c", *args, *names)
            want = [sum(1 for k, i in picked if k == n and inputs[n].records[i]["record"] == "message")
                    for n in range(len(inputs))]
            text = str(want[0]) + "\n" if len(inputs) == 1 else "".join(
                "%s:%d\n" % (inp.name, w) for inp, w in zip(inputs, want))
            check(rc == 0 and out.decode() == text, "%s -c --threads=%s: %r, the model %r" %
                  (label, threads, out.decode(), text))
    for ext in [k for k in kinds if k in ("dlt", "pcapng")]:
        outs = []
        for threads in ("1", "2"):
            target = path("out%s.%s" % (threads, ext))
            rc, _, err = run("--threads=" + threads, "-f", "-o", target, *args, *names)
            check(rc == 0, "%s -o x.%s --threads=%s: exit %d %r" % (label, ext, threads, rc, err[:200]))
            with open(target, "rb") as fh:
                outs.append(fh.read())
        check(outs[0] == outs[1], "%s: the %s file the same for 1 and 2 threads" % (label, ext))
        rc, out, _ = run("--out=json", path("out1." + ext))
        got = [identity(r) for r in records_of(out)]
        check(got == [identity(r) for r in expected_records], "%s: the %s file holds %d messages, the model %d" %
              (label, ext, len(got), len(expected_records)))
    return picked


# -- the time column ---------------------------------------------------------------------

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def utc_of(us):
    return EPOCH + datetime.timedelta(microseconds=us)


def relative_text(us, origin):
    d = us - origin
    sign = "-" if d < 0 else ""
    return "%s%d.%06d" % (sign, abs(d) // 1000000, abs(d) % 1000000)


def check_time_column(inputs, f, m=None, before=0, after=0):
    """Every --time mode over the lines `f`, `m` and the context select: the time column
    computed from the records, the rest of the line as the reference shows it."""
    names = [inp.name for inp in inputs]
    picked = model(inputs, f, m, before, after)
    args = args_of(f, m, before, after)
    tails = [inputs[k].lines[i][27:] for k, i in picked]  # after `yyyy/MM/dd HH:mm:ss.ffffff `
    stamps = [inputs[k].records[i]["time_us"] for k, i in picked]
    origin = next((t for t in stamps if t is not None), None)
    want = {
        "utc": [utc_of(t or 0).strftime("%Y/%m/%d %H:%M:%S.%f") + " " + tail for t, tail in zip(stamps, tails)],
        "iso": [utc_of(t or 0).strftime("%Y-%m-%dT%H:%M:%S.%fZ") + " " + tail for t, tail in zip(stamps, tails)],
        "relative": [("-" if t is None else relative_text(t, origin)) + " " + tail for t, tail in zip(stamps, tails)],
        "device": tails,
    }
    for mode, lines in want.items():
        outs = []
        for threads in ("1", "2"):
            rc, out, err = run("--threads=" + threads, "--time=" + mode, *args, *names)
            check(rc == 0 and err == b"", "--time=%s %s: exit %d %r" % (mode, args, rc, err[:200]))
            outs.append(out)
        check(outs[0] == outs[1], "--time=%s %s %s: the same for 1 and 2 threads" % (mode, args, names))
        got = outs[0].decode().splitlines(keepends=True)
        if not check(got == lines, "--time=%s %s %s: %d lines, %d computed" % (mode, args, names, len(got),
                                                                                len(lines))):
            for a, b in zip(got, lines):
                if a != b:
                    print("  got  %r\n  want %r" % (a[:90], b[:90]))
                    break


def check_local_time(inp, zone):
    """The default column in another time zone: local time, as the records' instants."""
    try:
        from zoneinfo import ZoneInfo
        tz = ZoneInfo(zone)
    except Exception:  # no time zone data: nothing to compare with
        print("SKIP local time in %s: no zoneinfo" % zone)
        return
    r = subprocess.run([DLTDUMP, "--threads=1", inp.name], capture_output=True, env=dict(ENV, TZ=zone))
    got = r.stdout.decode().splitlines(keepends=True)
    want = []
    for rec, line in zip(inp.records, inp.lines):
        t = rec["time_us"]
        head = (utc_of(t).astimezone(tz).strftime("%Y/%m/%d %H:%M:%S.%f") if t is not None
                else "1970/01/01 00:00:00.000000")
        want.append(head + " " + line[27:])
    check(got == want, "local time in %s: %d lines as computed" % (zone, len(got)))
    r2 = subprocess.run([DLTDUMP, "--threads=1", "--time=local", inp.name], capture_output=True,
                        env=dict(ENV, TZ=zone))
    check(r2.stdout == r.stdout, "--time=local is the default")


# -- the cases ---------------------------------------------------------------------------

def option_errors():
    """Bad values: one line on standard error, exit 1, nothing on standard output."""
    for args, text in (
            (["--level=loud"], "Option 'level' has incorrect level 'loud' (fatal, error, warn, info, debug or "
                               "verbose)"),
            (["--time=gmt"], "Option 'time' has incorrect value 'gmt' (local, utc, iso, relative or device)"),
            (["-m", "x"], "Option 'max-count' must be a whole number from 0 to 9999999999999999999, not 'x'"),
            (["--max-count=1.5"], "Option 'max-count' must be a whole number from 0 to 9999999999999999999, "
                                  "not '1.5'"),
            (["--not-type=999"], "Option 'not-type' value '999' can never match: "),
            (["--not-type=loud"], "Unknown filter type 'loud' for option 'not-type'."),
            (["--not-appid=TOOLONG"], "Option 'not-appid' value 'TOOLONG' is longer than 4 bytes"),
            (["--not-ctxid=A,"], "Option 'not-ctxid' has an empty value (a comma too many?)"),
            (["-v"], "Option 'invert-match' needs a filter to invert"),
            (["-v", "--none"], "Option 'invert-match' cannot invert 'none'"),
            (["--level=warn", "--level=info"], "Option 'level' provided multiple times"),
    ):
        rc, out, err = run(*args, path("small.dlt"))
        lines = err.decode().splitlines()
        check(rc == 1 and out == b"" and len(lines) == 1 and lines[0].startswith("dltdump: " + text),
              "%s: exit %d, %r" % (args, rc, err.decode()))
    # --time shapes text lines only: with other records a warning, and the records unchanged.
    rc, out, err = run("--time=utc", "--out=json", path("small.dlt"))
    rc2, out2, _ = run("--out=json", path("small.dlt"))
    check(rc == 0 and out == out2 and err.decode() ==
          "dltdump: warning: Option 'time' has no effect on JSON and CSV records (they keep their time fields)\n",
          "--time with JSON: %r" % err.decode())
    rc, out, err = run("--time=iso", "-c", path("small.dlt"))
    check(rc == 0 and b"has no effect with 'count'" in err, "--time with -c: %r" % err.decode())


def main():
    os.makedirs(WORK, exist_ok=True)
    # A large DLT file (parallel blocks with 2 threads), a small one, a network recording
    # (no times) with corruption, so that skip lines take part; and a capture of a clean
    # recording in three flows, with packets that are not DLT.
    gen(DLTGEN, "--size", "6M", "--seed", "23", "--corrupt", "1", "-o", path("big.dlt"))
    gen(DLTGEN, "--count", "3000", "--seed", "24", "--corrupt", "2", "-o", path("small.dlt"))
    gen(DLTGEN, "--count", "3000", "--seed", "25", "--corrupt", "2", "-o", path("second.dlt"))
    gen(DLTGEN, "--format", "net", "--count", "4000", "--seed", "26", "--corrupt", "2", "-o", path("rec.bin"))
    gen(DLTGEN, "--format", "net", "--count", "20000", "--seed", "27", "-o", path("clean.bin"))
    gen(CAPGEN, "--dlt", path("clean.bin"), "--flows", "3", "--noise", "--seed", "27", "-o", path("rec.pcapng"))
    big, small, second = Input(path("big.dlt")), Input(path("small.dlt")), Input(path("second.dlt"))
    rec, cap = Input(path("rec.bin")), Input(path("rec.pcapng"))
    check(any(r["record"] == "skip" for r in big.records) and any(r["record"] == "skip" for r in small.records),
          "the inputs hold skip lines")

    option_errors()

    filters = [
        {"not-appid": ["NAV", "SYS"]},
        {"not-appid": ["NAV"], "level": "warn"},
        {"level": "error"},
        {"level": "warn", "not-ecuid": ["ECU2"]},
        {"not-ctxid": ["TEST", "NET"], "not-type": ["debug", "request"]},
        {"appid": ["NAV", "HMI"], "invert": True},
        {"not-appid": ["SKIP"], "type": ["info", "warn"], "invert": True},
        {"level": "info", "string": ["brake"], "invert": True},
        {"ecuid": ["ECU1"], "not-type": ["fatal"]},
        # No skip line passes: the framer's quick look at raw packets decides (messages
        # without an extended header have no APP to exclude).
        {"not-appid": ["SKIP", "NAV"]},
        {"not-appid": ["SKIP"], "not-ctxid": ["TEST"], "not-ecuid": ["ECU2"]},
    ]
    for f in sampled(filters):  # every output kind, no context
        check_case("small", [small], f, kinds=("json", "text", "count", "dlt", "pcapng"))
        check_case("small -m", [small], f, m=7, kinds=("json", "text", "count", "csv", "dlt", "pcapng"))
    for f in sampled(filters[:6] + filters[-2:]):
        check_case("big", [big], f)
        check_case("big -m", [big], f, m=1000)
        check_case("capture", [cap], f, kinds=("json", "text", "count"))
        check_case("capture -m", [cap], f, m=50, kinds=("json", "text"))
    for f, m, b, a in sampled([({"level": "warn"}, None, 3, 2), ({"appid": ["NAV"], "invert": True}, None, 2, 0),
                               ({"not-appid": ["NAV"], "level": "error"}, 5, 0, 3),
                               ({"level": "fatal"}, 4, 2, 2), ({"appid": ["DIAG"]}, 3, 0, 4),
                               ({"level": "error", "invert": True}, 10, 3, 3)], 2):
        check_case("context", [small], f, m, b, a, kinds=("json", "text", "csv", "dlt", "pcapng"))
        check_case("context big", [big], f, m, b, a, kinds=("json", "text"))
        check_case("context recording", [rec], f, m, b, a, kinds=("json", "text"))
    # Several inputs: -m counts per input; context carries on from one to the next.
    check_case("two inputs", [small, second], {"level": "warn"}, m=5)
    check_case("two inputs", [small, second], {"not-appid": ["NAV"]}, m=3, after=2)
    check_case("two inputs", [second, small], {"appid": ["SYS"], "invert": True}, before=2, after=1)
    # -r with escapes, classes and counted quantifiers (a new user's findings: the payload
    # prefilter read `\x69` as the literal `69` and the digits of `{2,}` as text, and lost
    # every verbose message that matched; `{3,}` split the pattern at its comma). Each
    # pattern with the Python `re` spelling the model searches with.
    for regexes in ([("t\\x69meout", "t\\x69meout")], [("sp\\145ed=[0-9]{3,}", "sp\\145ed=[0-9]{3,}")],
                    [("o{1,}r", "o{1,}r"), ("\\x3D", "\\x3D")], [("[[:digit:]]{5,}", "[0-9]{5,}")],
                    [("\\p{Lu}\\x{61}v", "[A-Z]av")]):
        check_case("regex", [small], {"regex": regexes}, kinds=("json", "count"))
        check_case("regex big", [big], {"regex": regexes}, kinds=("count",))
    # -m alone: the first n messages (skip lines among them shown); -m 0: nothing.
    check_case("-m alone", [small], {}, m=25, kinds=("json", "text", "count", "dlt"))
    check_case("-m alone", [big], {}, m=0, kinds=("json", "text", "count"))

    # --stats counts what passes, and counts loss only where the filters keep each
    # counter sequence whole (docs/statistics.md).
    for args, whole in ((["--not-ecuid=ECU2"], True), (["-v", "--ecuid=ECU2"], True), (["--not-appid=NAV"], False),
                        (["--not-ctxid=TEST"], False), (["--not-type=info"], False), (["--level=warn"], False),
                        (["-v", "--appid=NAV"], False), (["-v", "--not-ecuid=ECU1", "--not-before=2024-01-01"], False)):
        rc, out, err = run("--stats=json", *args, small.name)
        report = json.loads(out) if rc == 0 else None
        f = {"not-ecuid": ["ECU2"]} if args == ["--not-ecuid=ECU2"] else None
        check(report is not None and report["loss"]["counted"] == whole,
              "--stats %s: loss counted %s, expected %s" % (args, report and report["loss"]["counted"], whole))
        if report is not None and f:
            check(report["messages"] == sum(1 for k, i in model([small], f) if small.records[i]["record"] == "message"),
                  "--stats %s: the messages the model selects" % args)

    # -m stops reading: a run over a pipe that never ends returns after its matches.
    with open(path("small.dlt"), "rb") as fh:
        data = fh.read()
    proc = subprocess.Popen([DLTDUMP, "-m", "2", "--level=error", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV)
    proc.stdin.write(data[:60000])  # less than a pipe holds: the write does not wait
    proc.stdin.flush()  # the pipe stays open: only -m can end the input
    got = []
    reader = threading.Thread(target=lambda: got.append(proc.stdout.read()))
    reader.start()
    reader.join(timeout=20)
    ended = not reader.is_alive()
    if not ended:
        proc.kill()
        reader.join()
    proc.wait()
    proc.stdin.close()
    check(ended and proc.returncode == 0 and got[0].count(b"\n") == 2,
          "-m 2 on a pipe left open: ended %s, exit %s, %d lines" % (ended, proc.returncode, got[0].count(b"\n")))

    # A live input too: a TCP sender that keeps its connection open; -m ends the input
    # (and with --retries, no reconnection follows).
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    proc = subprocess.Popen([DLTDUMP, "-m", "3", "--appid=NAV", "--retries=5", "--format=file",
                             "tcp://127.0.0.1:%d" % port], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    server.settimeout(20)
    conn, _ = server.accept()
    conn.sendall(data[:60000])
    try:
        out, err = proc.communicate(timeout=20)
        want = model([small], {"appid": ["NAV"]}, m=3)
        check(proc.returncode == 0 and out == "".join(small.lines[i] for _, i in want).encode(),
              "-m 3 on a TCP connection left open: exit %d, %d lines %r" % (proc.returncode, out.count(b"\n"),
                                                                           err[:200]))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        check(False, "-m 3 on a TCP connection left open did not end")
    conn.close()
    server.close()

    # And UDP with --capture: -m ends the input with its report line, and the capture file
    # is closed whole (it reads back).
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    cap_file = path("received.pcapng")
    if os.path.exists(cap_file):
        os.remove(cap_file)
    proc = subprocess.Popen([DLTDUMP, "-m", "3", "--appid=NAV", "--capture=" + cap_file, "udp://127.0.0.1:%d" % port],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    with open(path("clean.bin"), "rb") as fh:
        stream = fh.read()
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    out = err = b""
    for _ in range(50):  # until the receiver is up and has what -m needs
        for i in range(0, 20000, 500):
            sender.sendto(stream[i:i + 500], ("127.0.0.1", port))
        try:
            out, err = proc.communicate(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            pass
    else:
        proc.kill()
        proc.communicate()
    sender.close()
    check(proc.returncode == 0 and out.count(b"\n") == 3 and b" datagrams received, " in err,
          "-m 3 on UDP: exit %s, %d lines, %r" % (proc.returncode, out.count(b"\n"), err[:200]))
    rc, out, err = run("--udp-port=%d" % port, "-c", cap_file)
    # The datagrams cut the stream every 500 bytes, splitting packets: what a dump of the
    # capture shows as SKIP lines, -c says in one warning (it said nothing before).
    _, dump, _ = run("--udp-port=%d" % port, cap_file)
    skips = re.findall(rb" SKIP SKIP .* Skipped: (\d+) bytes;", dump)
    said = b""
    if skips:
        said = (b"%s: %d bytes skipped%s (in its DLT streams, no message decodes there), not counted by -c; without -c %s\n"
                % (cap_file.encode(), sum(int(n) for n in skips),
                   b" in %d regions" % len(skips) if len(skips) > 1 else b"",
                   b"they show as SKIP lines" if len(skips) > 1 else b"it shows as a SKIP line"))
    check(rc == 0 and err == said and int(out or b"0") > 0, "-m 3 on UDP: the capture reads back: exit %d %r %r" %
          (rc, out, err[:200]))

    # The time column.
    check_time_column([small], {})
    check_time_column([small], {"level": "warn"}, m=30)
    check_time_column([big], {"not-appid": ["SYS"]})
    check_time_column([rec], {"level": "info"})  # no times: the epoch, `-`
    check_time_column([rec, small], {"appid": ["NAV"]}, m=20)  # the origin: the first line with a time
    check_time_column([small, second], {"appid": ["HMI"]})  # one origin for the run
    check_time_column([small], {"level": "error", "invert": True}, m=40, before=2, after=3)
    check_time_column([rec, small], {"not-appid": ["NAV"]}, m=100, before=1, after=1)
    check_local_time(small, "Asia/Kolkata")
    check_local_time(small, "America/New_York")
    finish()


main()
