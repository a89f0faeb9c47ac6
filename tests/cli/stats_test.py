#!/usr/bin/python3
"""The --stats report (issue #22) against two independent truths.

* The generator's truth: dltgen --timeline writes recordings of ECUs that restart, whose
  messages are counted per stream (COVESA libdlt) or per ECU (AUTOSAR), with messages
  dropped every Nth and in bursts (across the 8-bit counter's wrap), and says with
  --stats what the report must hold: totals, kinds, types, skipped regions, per ECU
  (messages, bytes, first and last time, lifecycles with start and count, messages missing
  and gaps) and per context (messages, bytes, levels). The report must equal it.
* A reference written here from the JSON records of the same run (`--out=json`): for any
  input — generated captures, non-verbose logs with a catalogue, real files of other tools
  in ../shared/data — the report's counts, times, lifecycles and loss must be what the
  documented rules (docs/statistics.md) give for the records.

Also: the JSON report is valid against docs/stats.schema.json; the text report shows the
same numbers; filters apply (-c counts the same messages), a filter within streams turns
loss off; several inputs; more streams than the limit are folded; 1 and 2 threads give the
same report; option errors are one line.

Usage: stats_test.py DLTDUMP DLTGEN CAPGEN NVGEN SCHEMA WORKDIR [SHARED_DATA]
"""
import json
import os
import re
import struct
import subprocess
import sys

from cli_checks import check, finish, runner, schema_validator
from lifecycle_model import EcuLifecycles

DLTDUMP, DLTGEN, CAPGEN, NVGEN, SCHEMA, WORK = (os.path.abspath(a) for a in sys.argv[1:7])
SHARED = sys.argv[7] if len(sys.argv) > 7 else ""
run = runner(DLTDUMP)


def path(name):
    return os.path.join(WORK, name)


def gen(*args):
    subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL)


VALIDATOR = None


def stats(*args, quiet=True):
    """The JSON report of a run, checked against the schema; None if the run failed.
    `quiet`: the run must print nothing on standard error."""
    rc, out, err = run("--stats=json", *args)
    if not check(rc == 0 and (err == b"" or not quiet), "--stats=json %s: exit %d, stderr %r" % (args, rc, err[:200])):
        return None
    report = json.loads(out)
    if VALIDATOR is not None:
        errors = list(VALIDATOR.iter_errors(report))
        check(not errors, "schema: %s" % (errors[0].message if errors else ""))
    return report


# -- the reference: the rules of docs/statistics.md applied to the JSON records ----------

class Track:
    def __init__(self):
        self.seen = False
        self.last = 0
        self.lifecycle = 0
        self.missing = self.gaps = self.repeats = 0

    def step(self, counter, lc):
        follows = self.seen and self.lifecycle == lc
        before = self.last
        self.seen, self.lifecycle, self.last = True, lc, counter
        if not follows:
            return 0
        n = (counter - before - 1) % 256
        if n == 255:
            self.repeats += 1
            return 0
        if n >= 252:  # 1 to 3 behind: late, not a gap
            self.missing = max(0, self.missing - 1)
            self.last = before
            return 0
        if n:
            self.missing += n
            self.gaps += 1
        return n


def reference(records):
    ecus = {}
    streams = {}
    contexts = {}
    for r in records:
        if r["record"] != "message":
            continue
        e = ecus.setdefault(r["ecu"], {"messages": 0, "first": None, "last": None, "lcs": [], "rule": EcuLifecycles(), "ecu_track": Track(),
                                       "stream_missing": 0, "stream_gaps": 0})
        e["messages"] += 1
        if r["time_us"] is not None:
            e["first"] = r["time_us"] if e["first"] is None else min(e["first"], r["time_us"])
            e["last"] = r["time_us"] if e["last"] is None else max(e["last"], r["time_us"])
        d = None if r["device_time"] is None else round(r["device_time"] * 10000)
        lcs = e["lcs"]
        i = e["rule"].observe(r["time_us"], d)
        if i == len(lcs):
            lcs.append({"start_time_us": r["time_us"], "start_device": d, "messages": 0})
        if lcs[i]["start_device"] is None:
            lcs[i]["start_device"] = d
        lcs[i]["messages"] += 1
        lc = i + 1
        key = (r["ecu"], r["session"], r["app"], r["ctx"])
        s = streams.setdefault(key, Track())
        # No sequence follows a message without ECU id; the stream model none without
        # application and context either.
        has_ids = r["mstp"] is not None or r["app"] != "" or r["ctx"] != ""
        if r["ecu"] != "":
            e["ecu_track"].step(r["counter"], lc)
        if r["ecu"] != "" and r["kind"] != "control" and has_ids:
            before = s.missing, s.gaps
            s.step(r["counter"], lc)
            e["stream_missing"] += s.missing - before[0]
            e["stream_gaps"] += s.gaps - before[1]
        c = contexts.setdefault((r["ecu"], r["app"], r["ctx"]), {"messages": 0, "levels": {}})
        c["messages"] += 1
        level = r["subtype"] if r["type"] == "log" and r["subtype"] in (
            "fatal", "error", "warn", "info", "debug", "verbose") else "other"
        c["levels"][level] = c["levels"].get(level, 0) + 1
    for e in ecus.values():
        if e["ecu_track"].missing < e["stream_missing"]:
            e["model"], e["missing"], e["gaps"] = "ecu", e["ecu_track"].missing, e["ecu_track"].gaps
        else:
            e["model"], e["missing"], e["gaps"] = "context", e["stream_missing"], e["stream_gaps"]
    return ecus, contexts


def records_of(args):
    rc, out, err = run("--out=json", *args)
    check(rc == 0, "--out=json %s: exit %d %r" % (args, rc, err[:200]))
    return [json.loads(line) for line in out.splitlines()]


def device_text(d):
    return None if d is None else d / 10000


def check_against_records(name, args, loss=True, quiet=True):
    """The report of `args` equals the reference computed from their JSON records."""
    report = stats(*args, quiet=quiet)
    if report is None:
        return None
    records = records_of(args)
    messages = [r for r in records if r["record"] == "message"]
    skips = [r for r in records if r["record"] == "skip"]
    check(report["messages"] == len(messages), "%s: messages %d, records %d" % (name, report["messages"],
                                                                                len(messages)))
    check(report["skipped"]["regions"] == len(skips), "%s: skipped regions" % name)
    kinds = {"verbose": 0, "non-verbose": 0, "control": 0}
    for r in messages:
        kinds[r["kind"]] += 1
    check(report["kinds"] == kinds, "%s: kinds %s, records %s" % (name, report["kinds"], kinds))
    types = {}
    for r in messages:
        k = (r["mstp"], r["mtin"])
        types[k] = types.get(k, 0) + 1
    check({(t["mstp"], t["mtin"]): t["messages"] for t in report["types"]} == types, "%s: types" % name)
    ecus, contexts = reference(records)
    got = {e["ecu"]: e for e in report["ecus"]}
    check(set(got) == set(ecus), "%s: ECUs %s, records %s" % (name, sorted(got), sorted(ecus)))
    for ecu, ref in ecus.items():
        e = got.get(ecu)
        if e is None:
            continue
        check(e["messages"] == ref["messages"], "%s %s: messages" % (name, ecu))
        check(e["first_time_us"] == ref["first"] and e["last_time_us"] == ref["last"], "%s %s: first/last" % (name, ecu))
        check(e["lifecycles"] == len(ref["lcs"]), "%s %s: lifecycles %d, reference %d" % (name, ecu, e["lifecycles"],
                                                                                        len(ref["lcs"])))
        if loss:
            check((e["counted_per"], e["missing"], e["gaps"]) == (ref["model"], ref["missing"], ref["gaps"]),
                  "%s %s: loss %s, reference %s" % (name, ecu, (e["counted_per"], e["missing"], e["gaps"]),
                                                    (ref["model"], ref["missing"], ref["gaps"])))
        else:
            check(e["missing"] is None and e["counted_per"] is None, "%s %s: loss not counted" % (name, ecu))
        listed = [lc for lc in report["lifecycles"] if lc["ecu"] == ecu]
        if len(ref["lcs"]) <= 1000:
            want = [(lc["start_time_us"], device_text(lc["start_device"]), lc["messages"]) for lc in ref["lcs"]]
            have = [(lc["start_time_us"], lc["start_device_time"], lc["messages"]) for lc in listed]
            check(have == want, "%s %s: lifecycles listed %s..., reference %s..." % (name, ecu, have[:3], want[:3]))
    have = {(c["ecu"], c["app"], c["ctx"]): (c["messages"], {k: v for k, v in c["levels"].items() if v})
            for c in report["contexts"]}
    want = {k: (v["messages"], v["levels"]) for k, v in contexts.items()}
    check(have == want, "%s: contexts differ" % name)
    return report


# -- the generator's truth ---------------------------------------------------------------

def check_against_truth(name, truth_path, args):
    with open(truth_path) as f:
        truth = json.load(f)
    report = stats(*args)
    if report is None:
        return None
    check(report["messages"] == truth["messages"] and report["bytes"] == truth["bytes"],
          "%s: messages/bytes %d/%d, truth %d/%d" % (name, report["messages"], report["bytes"], truth["messages"],
                                                      truth["bytes"]))
    check((report["skipped"]["regions"], report["skipped"]["bytes"]) == (truth["skipped_regions"],
                                                                         truth["skipped_bytes"]),
          "%s: skipped %s, truth %s" % (name, report["skipped"], (truth["skipped_regions"], truth["skipped_bytes"])))
    check(report["kinds"] == {k: truth["kinds"].get(k, 0) for k in ("verbose", "non-verbose", "control")},
          "%s: kinds" % name)
    types = {}
    for t in report["types"]:
        text = "" if t["type"] is None else t["type"] + " " + (t["subtype"] or "")
        types[text] = types.get(text, 0) + t["messages"]
    check(types == truth["types"], "%s: types %s, truth %s" % (name, types, truth["types"]))
    check(report["loss"]["counted"] and report["loss"]["missing"] == truth["missing"] and
          report["loss"]["gaps"] == truth["gaps"],
          "%s: loss %s/%s, truth %d/%d" % (name, report["loss"]["missing"], report["loss"]["gaps"], truth["missing"],
                                           truth["gaps"]))
    model = "ecu" if truth["counter"] == "ecu" else "context"
    got = {e["ecu"]: e for e in report["ecus"]}
    check(set(got) == set(truth["ecus"]), "%s: ECUs" % name)
    for ecu, t in truth["ecus"].items():
        e = got.get(ecu)
        if e is None:
            continue
        check((e["messages"], e["bytes"]) == (t["messages"], t["bytes"]), "%s %s: messages/bytes" % (name, ecu))
        check((e["first_time_us"], e["last_time_us"]) == (t["first_time_us"], t["last_time_us"]),
              "%s %s: first/last" % (name, ecu))
        check((e["counted_per"], e["missing"], e["gaps"]) == (model, t["missing"], t["gaps"]),
              "%s %s: loss %s, truth %s" % (name, ecu, (e["counted_per"], e["missing"], e["gaps"]),
                                            (model, t["missing"], t["gaps"])))
        listed = [(lc["start_time_us"], lc["start_device_time"], lc["messages"]) for lc in report["lifecycles"]
                  if lc["ecu"] == ecu]
        want = [(lc["start_time_us"], lc["start_device_time"] / 10000, lc["messages"]) for lc in t["lifecycles"]]
        check(e["lifecycles"] == len(want) and listed == want,
              "%s %s: lifecycles %s, truth %s" % (name, ecu, listed, want))
    have = {"%s/%s/%s" % (c["ecu"], c["app"], c["ctx"]): (c["messages"], c["bytes"],
                                                          {k: v for k, v in c["levels"].items() if v})
            for c in report["contexts"]}
    want = {k: (v["messages"], v["bytes"], v["levels"]) for k, v in truth["contexts"].items()}
    check(have == want, "%s: contexts differ" % name)
    return report


# -- hand-built files --------------------------------------------------------------------

def packet(counter, app, ctx, ecu=b"ECU1", devtime=None):
    htyp = 0x20 | 0x01 | 0x04 | (0x10 if devtime is not None else 0)
    body = ecu + (struct.pack(">I", devtime) if devtime is not None else b"") + bytes([0x41, 0]) + app + ctx
    return bytes([htyp, counter]) + struct.pack(">H", 4 + len(body)) + body


def storage(pkt, seconds, ecu=b"ECU1"):
    return b"DLT\x01" + struct.pack("<II", seconds, 0) + ecu + pkt


def check_counter_rules():
    """Gaps across the wrap, repeats, a restart, hostile ids."""
    # (counter, device time): 1000 s of uptime in steps of 1 ms, then a restart at 1 s.
    seq = [(250, 0), (251, 10), (254, 20), (255, 30), (0, 40), (3, 50), (3, 60), (4, 70)]
    seq = [(c, 10000000 + d) for c, d in seq] + [(0, 10000), (1, 10010)]
    data = b"".join(storage(packet(c, b"APP\x01", b"C\xffX\n", devtime=d), 1700000000 + i)
                    for i, (c, d) in enumerate(seq))
    with open(path("rules.dlt"), "wb") as f:
        f.write(data)
    report = stats(path("rules.dlt"))
    if report is None:
        return
    e = report["ecus"][0]
    # 251→254: 2 missing; 0→3: 2 missing; 3→3: a repeat; 255→0: none; the restart: none.
    check((e["missing"], e["gaps"], e["lifecycles"]) == (4, 2, 2),
          "counter rules: missing/gaps/lifecycles %s" % ((e["missing"], e["gaps"], e["lifecycles"]),))
    check([(g["counter_before"], g["counter_after"], g["missing"]) for g in report["loss"]["largest_gaps"]] ==
          [(251, 254, 2), (0, 3, 2)], "largest gaps: %s" % report["loss"]["largest_gaps"])
    check(report["loss"]["streams"] and report["loss"]["streams"][0]["repeats"] == 1, "a repeat is counted")
    check(report["contexts"][0]["app"] == "APP." and report["contexts"][0]["ctx"] == "C.X.",
          "ids with controls shown with '.': %s" % report["contexts"][0])
    rc, out, _ = run("--stats", path("rules.dlt"))
    text = out.decode("utf-8")
    check(rc == 0 and not re.search("[\x00-\x09\x0b-\x1f\x7f]", text), "text report holds no control byte")
    check("4 messages missing in 2 gaps" in text, "text report states the loss")


def check_folding():
    """More streams than the limit (65536): the rest are folded, memory stays bounded."""
    n = 66000
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    out = bytearray()
    for i in range(n):
        k = i % 65000
        app = b"A" + bytes([alphabet[k >> 12], alphabet[(k >> 6) & 63], alphabet[k & 63]])
        out += storage(packet(i % 256, app, b"C%03d" % (i // 65000)), 1700000000)
    with open(path("many.dlt"), "wb") as f:
        f.write(out)
    report = stats(path("many.dlt"))
    if report is None:
        return
    # Every message is a new stream: those after the 65536th are folded.
    check(report["folded"]["messages"] == n - 65536, "folded messages %d" % report["folded"]["messages"])
    check(sum(c["messages"] for c in report["contexts"]) == 65536, "contexts hold the streams kept")
    check(report["messages"] == n, "every message counted")


def check_options():
    gen(DLTGEN, "--count", "200", "--seed", "3", "-o", path("small.dlt"))
    for args, what in ((["--stats=xml"], "incorrect format 'xml' (text or json)"),
                       (["--stats", "-o", path("x.txt")], "cannot be combined with 'output'"),
                       (["--stats", "-c"], "cannot be combined with 'stats'"),
                       (["--stats", "--out=json"], "cannot be combined with 'out'"),
                       (["--stats", "--split=1M"], "cannot be combined with 'split'")):
        rc, out, err = run(*args, path("small.dlt"))
        check(rc == 1 and out == b"" and err.count(b"\n") == 1 and what.encode() in err,
              "%s: exit %d, %r" % (args, rc, err))
    rc, out, err = run("--stats", "-A", "2", "-s", "x", path("small.dlt"))
    check(rc == 0 and b"has no effect with 'stats'" in err and err.count(b"\n") == 1, "context: a warning")
    # The value only after '=': the next argument is an input.
    rc, out, err = run("--stats", path("small.dlt"))
    check(rc == 0 and out.startswith(b"input"), "--stats FILE reads FILE")
    rc, out, err = run("--STATS=JSON", path("small.dlt"))
    check(rc == 0 and json.loads(out)["messages"] == 200, "--STATS=JSON")


def lifecycle_counts(*args):
    """The lifecycles per ECU that --stats=json counts with `args`."""
    rc, out, err = run("--stats=json", *args)
    if rc != 0:
        check(False, "--stats %s: exit %d, %r" % (args, rc, err[-300:]))
        return None
    report = json.loads(out)
    return {e["ecu"]: e["lifecycles"] for e in report["ecus"]}, report["lifecycle_changes_limit"]["reached"]


def check_lifecycles_agree():
    """--stats, --stats --sort (on 1 and 2 threads) and --lifecycles tell the same lifecycles
    of a log whose device times jump about (a new user's finding: --stats --sort counted
    others, in sorted order, and --stats had another bound than --lifecycles), also past
    the bound (65536 changes), which --stats=json and --lifecycles then say."""
    for name, size, reached in (("jump-small.dlt", ["--count", "50"], False),
                                ("jump-1m.dlt", ["--size", "1000000"], False),
                                ("jump-14m.dlt", ["--size", "14000000"], True)):
        gen(DLTGEN, "--profile", "verbose", "--seed", "32", *size, "-o", path(name))
        rc, out, err = run("--lifecycles", path(name))
        rows = out.decode().splitlines()[1:]
        listed = {}
        for row in rows:
            ecu = row.split()[1]
            listed[ecu] = listed.get(ecu, 0) + 1
        warned = b"Lifecycles are told up to 65536 changes" in err
        check(rc == 0 and warned == reached, "%s: --lifecycles exit %d, warned %s" % (name, rc, warned))
        for args in ([], ["--sort"], ["--sort", "--threads=1"], ["--threads=1"]):
            got = lifecycle_counts(*args, path(name))
            if got:
                counts, limit = got
                check(counts == listed and limit == reached,
                      "%s %s: --stats counts %s (limit %s), --lifecycles lists %s" %
                      (name, args, sum(counts.values()), limit, sum(listed.values())))


def main():
    global VALIDATOR
    os.makedirs(WORK, exist_ok=True)
    VALIDATOR = schema_validator(SCHEMA)

    # The generator's truth: per-stream counters (libdlt), per-ECU counters (AUTOSAR), in
    # each framing; drops every Nth and in bursts, restarts, corruption.
    gen(DLTGEN, "--timeline", "--count", "60000", "--seed", "31", "--restart-every", "20000", "--drop-every", "97",
        "--burst", "40/7000", "--corrupt", "1", "--truncate", "--stats", path("t1.truth"), "-o", path("t1.dlt"))
    r1 = check_against_truth("libdlt counters, DLT file", path("t1.truth"), [path("t1.dlt")])
    if r1:
        check(any(s["messages"] > 600 for s in r1["loss"]["streams"]), "streams wrap their counters")
    gen(DLTGEN, "--timeline", "--counter", "ecu", "--count", "40000", "--seed", "32", "--restart-every", "12000",
        "--drop-every", "50", "--burst", "300/9000", "--stats", path("t2.truth"), "-o", path("t2.dlt"))
    check_against_truth("AUTOSAR counters, DLT file", path("t2.truth"), [path("t2.dlt")])
    gen(DLTGEN, "--timeline", "--format", "net", "--count", "20000", "--seed", "33", "--restart-every", "9000",
        "--drop-every", "13", "--stats", path("t3.truth"), "-o", path("t3.bin"))
    check_against_truth("network recording", path("t3.truth"), ["--format=net", path("t3.bin")])
    gen(DLTGEN, "--timeline", "--format", "ser", "--count", "20000", "--seed", "34", "--restart-every", "9000",
        "--burst", "5/100", "--corrupt", "2", "--stats", path("t4.truth"), "-o", path("t4.ser"))
    check_against_truth("serial recording", path("t4.truth"), ["--format=ser", path("t4.ser")])

    # The reference from the records, for other inputs and options.
    gen(DLTGEN, "--count", "5000", "--seed", "35", "--corrupt", "3", "-o", path("mixed.dlt"))
    gen(DLTGEN, "--format", "net", "--count", "3000", "--seed", "36", "-o", path("net.bin"))
    gen(CAPGEN, "--dlt", path("net.bin"), "--flows", "3", "--seed", "36", "-o", path("net.pcapng"))
    os.makedirs(path("cat"), exist_ok=True)
    gen(NVGEN, "--clean", "50", "--count", "3000", "--seed", "37", "--catalogue", path("cat"), "-o", path("nv.dlt"))
    check_against_records("random device times", [path("mixed.dlt")])
    check_against_records("capture", [path("net.pcapng")])
    check_against_records("non-verbose with catalogue", ["-F", path("cat"), path("nv.dlt")])
    several = check_against_records("several inputs", [path("t1.dlt"), path("net.pcapng"), path("mixed.dlt")])
    if several:
        check([i["input"] for i in several["inputs"]] == [path("t1.dlt"), path("net.pcapng"), path("mixed.dlt")],
              "inputs listed as named")
        check(sum(i["messages"] for i in several["inputs"]) == several["messages"], "inputs sum to the total")
    check_against_records("ECU filter keeps loss", ["--ecuid=ECU1", path("t1.dlt")])
    check_against_records("application filter: no loss", ["--appid=NAV", path("t1.dlt")], loss=False)
    check_against_records("session filter: no loss", ["--sessionid=1001", path("t1.dlt")], loss=False)
    check_against_records("time window keeps loss", ["--not-before=2024-03-01T10:00:30", path("t1.dlt")])
    check_against_records("type filter: no loss", ["--type=error", path("t1.dlt")], loss=False)
    check_against_records("string filter: no loss", ["-s", "a", path("mixed.dlt")], loss=False)

    # -c counts what --stats counts, for the same filters.
    for args in ([], ["--appid=NAV"], ["--type=warn"], ["-r", "[0-9]{3}"]):
        rc, out, _ = run("-c", *args, path("mixed.dlt"))
        report = stats(*args, path("mixed.dlt"))
        if report:
            check(int(out) == report["messages"], "-c %s: %s, --stats %d" % (args, out, report["messages"]))

    # The thread count changes nothing — parallel decoders send facts of what passed in
    # blocks (a DLT file's, a large capture's chunks, a small capture's flows), with and
    # without a filter; -c counts the same. The text report shows the JSON's numbers.
    gen(DLTGEN, "--format", "net", "--count", "80000", "--seed", "38", "-o", path("big.bin"))
    gen(CAPGEN, "--dlt", path("big.bin"), "--flows", "4", "--noise", "--seed", "38", "-o", path("big.pcapng"))
    for p in (path("t1.dlt"), path("mixed.dlt"), path("net.pcapng"), path("big.pcapng")):
        for filt in ([], ["--appid=NAV,SYS"], ["-s", "a"]):
            a = run("--stats=json", "--threads=1", *filt, p)[1]
            b = run("--stats=json", "--threads=2", *filt, p)[1]
            check(a == b and a, "1 and 2 threads: the same report for %s %s" % (p, filt))
            a = run("-c", "--threads=1", *filt, p)[1]
            b = run("-c", "--threads=2", *filt, p)[1]
            check(a == b and a, "1 and 2 threads: the same count for %s %s" % (p, filt))
    rc, out, _ = run("--stats", path("t1.dlt"))
    text = out.decode()
    if r1:
        for e in r1["ecus"]:
            row = re.search(r"^%s +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +context$" % e["ecu"], text, re.M)
            check(row is not None and tuple(int(x) for x in row.groups()) ==
                  (e["messages"], e["bytes"], e["lifecycles"], e["missing"], e["gaps"]), "text row of %s" % e["ecu"])
        check("%d messages missing in %d gaps" % (r1["loss"]["missing"], r1["loss"]["gaps"]) in text,
              "text report: the loss line")

    check_counter_rules()
    check_lifecycles_agree()
    check_folding()
    check_options()

    # Real files made by other tools.
    if SHARED and os.path.isdir(SHARED):
        real = []
        for root, _, files in os.walk(SHARED):
            real += [os.path.join(root, f) for f in files if f.endswith((".dlt", ".pcap", ".pcapng"))]
        for p in sorted(real)[:30]:
            rc, _, _ = run("--none", p)
            if rc == 0:
                check_against_records("shared " + os.path.basename(p), [p], quiet=False)
    else:
        print("SKIP real files: ../shared/data is absent")

    finish()


main()
