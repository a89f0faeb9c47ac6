#!/usr/bin/python3
"""--filter-file (dlt-viewer filter files, issue #23 item 4) against a model and against
dlt-viewer itself.

Filter files of every kind are written here as dlt-viewer 2.23 writes them (every element
of a filter, in its order): positive, negative, marker and disabled filters; ECU, APP
(equal or regex), CTX (contained or regex), payload text (plain or regex, with and without
ignore case), log level min/max, control messages, message id (one or a range), and
combinations of them.

1. The model: a reference of each input is dltdump's own unfiltered JSON records; the
   rules of docs/manual.md ("dlt-viewer filter files") say which records a file selects.
   dltdump --filter-file must print exactly those (JSON records; text lines; -A/-B context;
   AND-combined with another option; 1 and 2 threads byte for byte the same).
2. dlt-viewer: `dlt-viewer -s -d -f F.dlf -c in.dlt out.dlt` writes the messages it selects
   as DLT. The input is first passed through dlt-viewer unfiltered (it drops messages it
   cannot read), and dltdump --filter-file on that copy must select the same messages
   (ECU, APP, CTX, counter, time and text of each, in order). Skipped, with a message,
   when dlt-viewer is not installed.
3. Errors and warnings: a missing file, malformed XML and a wrong root are one line and
   exit 1; an unknown element and an unsupported field are one warning line each.

Usage: dlf_test.py DLTDUMP DLTGEN WORKDIR [SHARED_DATA_DIR]
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from xml.sax.saxutils import escape

from cli_checks import ENV, SANITIZED, check, finish, runner, sampled

DLTDUMP, DLTGEN, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
SHARED = sys.argv[4] if len(sys.argv) > 4 else None
run = runner(DLTDUMP)
DLT_VIEWER = shutil.which("dlt-viewer")


def path(name):
    return os.path.join(WORK, name)


# -- filter files as dlt-viewer 2.23 writes them -----------------------------------------

def filt(type=0, name="f", ecuid="", apid="", ctid="", payload="", mmin=0, mmax=0, re_app=0, re_ctx=0, re_pay=0,
         ic_pay=0, enable=1, en_ecu=0, en_app=0, en_ctx=0, en_hdr=0, en_pay=0, ctrl=0, en_lmin=0, en_lmax=0,
         en_mid=0, lmax=6, lmin=0, header="", re_hdr=0, ic_hdr=0, extra=""):
    """One <filter> element with every element dlt-viewer 2.23's SaveFilterItem writes."""
    e = [("type", type), ("name", name), ("ecuid", ecuid), ("applicationid", apid), ("contextid", ctid),
         ("headertext", header), ("payloadtext", payload), ("regex_search", ""), ("regex_replace", ""),
         ("messageIdMin", mmin), ("messageIdMax", mmax), ("enableregexp_Appid", re_app),
         ("enableregexp_Context", re_ctx), ("enableregexp_Header", re_hdr), ("enableregexp_Payload", re_pay),
         ("ignoreCase_Header", ic_hdr), ("ignoreCase_Payload", ic_pay), ("enablefilter", enable),
         ("enableecuid", en_ecu), ("enableapplicationid", en_app), ("enablecontextid", en_ctx),
         ("enableheadertext", en_hdr), ("enablepayloadtext", en_pay), ("enablectrlmsgs", ctrl),
         ("enableLogLevelMin", en_lmin), ("enableLogLevelMax", en_lmax), ("enableMarker", 0),
         ("enableMessageId", en_mid), ("enableRegexSearchReplace", 0), ("filterColour", "#000000"),
         ("logLevelMax", lmax), ("logLevelMin", lmin)]
    body = "".join("        <%s>%s</%s>\n" % (k, escape(str(v)), k) for k, v in e)
    return "    <filter>\n" + body + extra + "    </filter>\n", dict(
        type=type, enable=enable, ecu=ecuid if en_ecu else None, app=(apid, re_app) if en_app else None,
        ctx=(ctid, re_ctx) if en_ctx else None, hdr=(header, re_hdr, ic_hdr) if en_hdr else None, pay=(payload, re_pay, ic_pay) if en_pay else None, ctrl=ctrl,
        lmin=lmin if en_lmin else None, lmax=lmax if en_lmax else None, mid=(mmin, mmax) if en_mid else None)


def dlf(*filters):
    text = '<?xml version="1.0" encoding="UTF-8"?>\n<dltfilter>\n' + "".join(f[0] for f in filters) + "</dltfilter>\n"
    return text, [f[1] for f in filters]


# -- inputs and the model ----------------------------------------------------------------

def message_ids(name, records):
    """dlt-viewer's message id of each record, from the raw bytes at its position: the first
    four payload bytes of a message not in verbose mode, else 0."""
    data = open(name, "rb").read()
    ids = []
    for r in records:
        if r["record"] != "message":
            ids.append(0)
            continue
        p = r["position"] + 16  # the storage header
        htyp, length = data[p], struct.unpack(">H", data[p + 2:p + 4])[0]
        at = 4 + (4 if htyp & 0x04 else 0) + (4 if htyp & 0x08 else 0) + (4 if htyp & 0x10 else 0)
        verbose = False
        if htyp & 0x01:
            verbose = bool(data[p + at] & 1)
            at += 10
        payload = data[p + at:p + length]
        ids.append(0 if verbose or len(payload) < 4 else struct.unpack(">I" if htyp & 0x02 else "<I", payload[:4])[0])
    return ids


class Input:
    def __init__(self, name):
        self.name = name
        rc, out, err = run("--threads=1", "--out=json", name)
        check(rc == 0, "reference of %s: exit %d %r" % (name, rc, err[:200]))
        self.records = [json.loads(x) for x in out.decode().splitlines()]
        self.ids = message_ids(name, self.records)
        rc, out, err = run("--threads=1", name)
        self.lines = out.decode().splitlines(keepends=True)
        check(len(self.lines) == len(self.records), "%s: one line per record" % name)


def head(r):
    """dlt-viewer's header string of record `r` (docs/manual.md): TZ=UTC."""
    if r["record"] == "skip":
        return None
    t = r["time"]  # 2024-03-01T10:00:00.004345Z
    time = t[0:4] + "/" + t[5:7] + "/" + t[8:10] + " " + t[11:26]
    dev = "%.4f" % r["device_time"] if r["device_time"] is not None else "0.0000"
    session = (r["session"] or 0) & 0xFFFFFFFF
    typ = (r["type"] + " " + r["subtype"]) if r["type"] is not None else ""
    verbose = r["kind"] == "verbose"
    return "%s %s %d %s %s %s %d %s %s %d" % (time, dev, r["counter"], r["ecu"], r["app"], r["ctx"], session, typ,
                                             "verbose" if verbose else "non-verbose", r["noar"] if verbose else 0)


def field_holds(f, r, mid):
    if r["record"] == "skip":
        ecu, app, ctx, mstp, mtin, text = "", "SKIP", "SKIP", 0, 3, r["text"]
    else:
        ecu, app, ctx, mstp, mtin, text = r["ecu"], r["app"], r["ctx"], r["mstp"], r["mtin"], r["text"]
    if f["ecu"] is not None and ecu != f["ecu"]: return False
    if f["app"] is not None:
        v, rx = f["app"]
        if not (re.search(v, app) if rx else app == v): return False
    if f["ctx"] is not None:
        v, rx = f["ctx"]
        if not (re.search(v, ctx) if rx else v in ctx): return False
    if f["hdr"] is not None and r["record"] == "message":
        v, rx, ic = f["hdr"]
        if not re.search(v if rx else re.escape(v), head(r), re.I if ic else 0): return False
    if f["pay"] is not None:
        v, rx, ic = f["pay"]
        if not re.search(v if rx else re.escape(v), text, re.I if ic else 0): return False
    if f["mid"] is not None:
        lo, hi = f["mid"]
        if not (mid == lo if hi == 0 else lo <= mid < hi): return False
    if f["ctrl"] and mstp != 3: return False
    if f["lmin"] is not None or f["lmax"] is not None:
        if mstp != 0: return False
        if f["lmin"] is not None and mtin < f["lmin"]: return False
        if f["lmax"] is not None and mtin > f["lmax"]: return False
    return True


def selects(filters, r, mid):
    pos = [f for f in filters if f["enable"] and f["type"] == 0]
    neg = [f for f in filters if f["enable"] and f["type"] == 1]
    if pos and not any(field_holds(f, r, mid) for f in pos): return False
    return not any(field_holds(f, r, mid) for f in neg)


def model(inp, filters, also=lambda r: True, before=0, after=0):
    out, held, after_left = [], [], 0
    for i, r in enumerate(inp.records):
        if selects(filters, r, inp.ids[i]) and also(r):
            out.extend(held)
            held = []
            out.append(i)
            after_left = after
        elif after_left > 0:
            after_left -= 1
            out.append(i)
        elif before > 0:
            held = (held + [i])[-before:]
    return out


# -- the cases ---------------------------------------------------------------------------

def cases(nv_id):
    """(name, dlf, compared with dlt-viewer)"""
    yield "app", dlf(filt(apid="NAV", en_app=1)), True
    yield "ecu", dlf(filt(ecuid="ECU1", en_ecu=1)), True
    yield "ctx-contains", dlf(filt(ctid="GP", en_ctx=1)), True
    yield "ctx-regex", dlf(filt(ctid="^(GPS|NET)$", en_ctx=1, re_ctx=1)), True
    yield "app-regex", dlf(filt(apid="^(NA|ME)", en_app=1, re_app=1)), True
    yield "negative-only", dlf(filt(type=1, apid="NAV", en_app=1)), True
    yield "positive-negative", dlf(filt(apid="NAV", en_app=1), filt(type=1, ctid="GPS", en_ctx=1)), True
    yield "two-positives", dlf(filt(apid="NAV", en_app=1), filt(ecuid="TCB", en_ecu=1)), True
    yield "payload", dlf(filt(payload="radar", en_pay=1)), True
    yield "payload-icase", dlf(filt(payload="NAVIGATION", en_pay=1, ic_pay=1)), True
    yield "payload-case", dlf(filt(payload="NAVIGATION", en_pay=1)), True
    yield "payload-regex", dlf(filt(payload=r"\bradar (fuel|speed)", en_pay=1, re_pay=1)), True
    yield "payload-regex-icase", dlf(filt(payload="grÜ(ß|ss)e", en_pay=1, re_pay=1, ic_pay=1)), True
    yield "payload-nonverbose", dlf(filt(payload=r"^\[\d+\] .*\|[0-9a-f]{2} 0", en_pay=1, re_pay=1)), True
    yield "payload-control", dlf(filt(payload="get_log_info", en_pay=1)), True
    yield "payload-empty", dlf(filt(payload="", en_pay=1)), True
    yield "level-max", dlf(filt(lmax=2, en_lmax=1)), True
    yield "level-min", dlf(filt(lmin=4, en_lmin=1)), True
    yield "level-range", dlf(filt(lmin=2, lmax=4, en_lmin=1, en_lmax=1)), True
    yield "ctrl", dlf(filt(ctrl=1)), True
    yield "negative-ctrl", dlf(filt(type=1, ctrl=1)), True
    yield "msgid", dlf(filt(mmin=nv_id, en_mid=1)), True
    yield "msgid-range", dlf(filt(mmin=1000, mmax=3000, en_mid=1)), True
    yield "msgid-range-one", dlf(filt(mmin=nv_id, mmax=nv_id + 1, en_mid=1)), True
    yield "msgid-range-below", dlf(filt(mmin=max(nv_id - 300, 1), mmax=nv_id, en_mid=1)), True
    yield "msgid-zero", dlf(filt(mmin=0, en_mid=1), filt(type=1, apid="SYS", en_app=1)), True
    yield "marker", dlf(filt(type=2, apid="NAV", en_app=1)), True
    yield "disabled", dlf(filt(apid="NAV", en_app=1, enable=0), filt(type=1, ecuid="ECU1", en_ecu=1, enable=0)), True
    yield "combination", dlf(filt(ecuid="ECU2", en_ecu=1, lmax=3, en_lmax=1, payload="ok", en_pay=1),
                             filt(apid="SYS", en_app=1, ctid="T", en_ctx=1),
                             filt(type=1, apid="MEDI", en_app=1),
                             filt(type=1, payload="time+out", en_pay=1, re_pay=1)), True
    yield "negative-payload-header", dlf(filt(type=1, apid="HMI", en_app=1, payload="error", en_pay=1)), True
    yield "empty", dlf(), True
    # An older file's <enableregexp> (after the others here): dlt-viewer 2.23 reads it for
    # the APP id only, so the CTX value is still a "contains" (here one that never is).
    legacy = filt(apid="^NA", en_app=1, ctid="^G", extra="        <enableregexp>1</enableregexp>\n")
    legacy[1]["app"] = ("^NA", 1)
    yield "legacy-regex", dlf(legacy), True
    legacy_ctx = filt(apid="^NA", en_app=1, ctid="^G", en_ctx=1, extra="        <enableregexp>1</enableregexp>\n")
    legacy_ctx[1]["app"] = ("^NA", 1)
    yield "legacy-regex-ctx", dlf(legacy_ctx), True
    yield "header", dlf(filt(header="ECU1 NAV", en_hdr=1)), True
    yield "header-regex", dlf(filt(header=r"log (warn|error) verbose", en_hdr=1, re_hdr=1)), True
    yield "header-icase", dlf(filt(header="nav gps", en_hdr=1, ic_hdr=1)), True
    yield "header-args", dlf(filt(header=r" [1-3]$", en_hdr=1, re_hdr=1)), True
    yield "header-time", dlf(filt(header=r"^2024/03/01 10:00:0[0-2]\.\d{6} 0\.0000 ", en_hdr=1, re_hdr=1)), True
    yield "header-session", dlf(filt(header=" 3735928559 ", en_hdr=1)), True
    yield "header-shape", dlf(filt(type=1, en_hdr=1, re_hdr=1,
                                   header=r"^\S+ \S+ \S+ \d+ \S+ \S+ \S+ \d+ \S+ \S+ (non-)?verbose \d+$")), True
    yield "header-payload", dlf(filt(header="non-verbose", en_hdr=1, payload="[3", en_pay=1),
                                filt(type=1, header=" 0 log", en_hdr=1)), True


def compare_dlt_viewer(inp, name, dlf_path, ok_name):
    out = path("dv-%s-%s.dlt" % (ok_name, name))
    env = dict(ENV, QT_QPA_PLATFORM="offscreen")
    subprocess.run([DLT_VIEWER, "-s", "-d", "-f", dlf_path, "-c", inp.name, out], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    key = lambda r: (r["ecu"], r["app"], r["ctx"], r["counter"], r["time_us"], r["text"])
    rc, theirs, _ = run("--out=json", out) if os.path.exists(out) else (1, b"", b"")
    rc2, ours, _ = run("--out=json", "--filter-file=" + dlf_path, inp.name)
    theirs = [key(json.loads(x)) for x in theirs.decode().splitlines()]
    ours = [key(json.loads(x)) for x in ours.decode().splitlines()]
    if not check(rc == 0 and rc2 == 0 and theirs == ours,
                 "%s, %s: dlt-viewer selects %d messages, dltdump %d" % (ok_name, name, len(theirs), len(ours))):
        for a, b in zip(theirs, ours):
            if a != b:
                print("  first difference: dlt-viewer %r, dltdump %r" % (a, b))
                break


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    subprocess.run([DLTGEN, "--count", "3000", "--seed", "7", "--profile", "mixed", "-o", path("mixed.dlt")],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([DLTGEN, "--count", "1500", "--seed", "11", "--profile", "nonverbose", "-o", path("nv.dlt")],
                   check=True, stdout=subprocess.DEVNULL)
    names = [path("mixed.dlt"), path("nv.dlt")]
    if SHARED:
        names += [os.path.join(SHARED, n) for n in ("covesa-testfile.dlt", "covesa-testfile_extended.dlt", "covesa-daemon-recording.dlt")
                  if os.path.exists(os.path.join(SHARED, n))]
    inputs = [Input(n) for n in names]
    nv = [i for i, r in zip(inputs[0].ids, inputs[0].records) if r.get("kind") == "non-verbose" and i]
    nv_id = max(set(nv), key=nv.count) if nv else 1

    # 1. the model (every filter file is written: the parts below read them)
    all_cases = list(cases(nv_id))
    for name, (text, _), _ in all_cases:
        open(path(name + ".dlf"), "w").write(text)
    for name, (text, filters), _ in sampled(all_cases):
        f = path(name + ".dlf")
        for inp in inputs:
            what = "%s on %s" % (name, os.path.basename(inp.name))
            want = model(inp, filters)
            rc, out, err = run("--threads=1", "--out=json", "--filter-file=" + f, inp.name)
            got = [json.loads(x)["position"] for x in out.decode().splitlines()]
            check(rc == 0 and err == b"", "%s: exit %d %r" % (what, rc, err[:300]))
            check(got == [inp.records[i]["position"] for i in want],
                  "%s: %d records selected, the model %d" % (what, len(got), len(want)))
            rc, out1, _ = run("--threads=1", "--filter-file=" + f, inp.name)
            check(out1.decode() == "".join(inp.lines[i] for i in want), "%s: text lines" % what)
            rc, out2, _ = run("--threads=2", "--filter-file=" + f, inp.name)
            check(out2 == out1, "%s: 2 threads byte-identical to 1" % what)
            rc, out, _ = run("-c", "--filter-file=" + f, inp.name)
            check(out == b"%d\n" % sum(inp.records[i]["record"] == "message" for i in want), "%s: -c" % what)
            if filters:
                everything = set(range(len(inp.records)))
                rc, out, _ = run("-v", "--filter-file=" + f, inp.name)
                check(out.decode() == "".join(inp.lines[i] for i in sorted(everything - set(want))), "%s: -v" % what)
            want = model(inp, filters, before=2, after=1)
            rc, out, _ = run("--threads=2", "-B", "2", "-A", "1", "--filter-file=" + f, inp.name)
            check(out.decode() == "".join(inp.lines[i] for i in want), "%s: with -B 2 -A 1" % what)
            want = model(inp, filters, also=lambda r: r["record"] == "message" and r["ecu"] == "ECU2")
            rc, out, _ = run("--ecuid=ECU2", "--filter-file=" + f, inp.name)
            check(out.decode() == "".join(inp.lines[i] for i in want), "%s: AND --ecuid=ECU2" % what)
            if os.path.exists(path("sel.dlt")):
                os.remove(path("sel.dlt"))
            rc, out, _ = run("--filter-file=" + f, "-o", path("sel.dlt"), inp.name)
            # (no message selected: no file written)
            rc, out, _ = run("--out=json", path("sel.dlt")) if os.path.exists(path("sel.dlt")) else (0, b"", b"")
            check([(r["counter"], r["time_us"], r["text"]) for r in map(json.loads, out.decode().splitlines())] ==
                  [(inp.records[i].get("counter"), inp.records[i].get("time_us"), inp.records[i]["text"])
                   for i in model(inp, filters) if inp.records[i]["record"] == "message"],
                  "%s: DLT output read back" % what)

    # Several threads on an input of several 4 MiB blocks: byte for byte what one thread prints.
    big = path("big.dlt")
    size = "9000000" if SANITIZED else "20000000"  # 3 blocks, or 5
    subprocess.run([DLTGEN, "--size", size, "--seed", "5", "--profile", "mixed", "-o", big], check=True,
                   stdout=subprocess.DEVNULL)
    for name in sampled(["app", "payload-regex", "header-regex", "combination", "negative-payload-header",
                         "msgid-range"]):
        f = path(name + ".dlf")
        for extra in ([], ["-B", "2", "-A", "1"], ["--out=json"]):
            rc1, one, _ = run("--threads=1", "--filter-file=" + f, *extra, big)
            rc3, three, _ = run("--threads=3", "--filter-file=" + f, *extra, big)
            check(rc1 == rc3 == 0 and one == three and len(one) > 0,
                  "%s %s on %s B: 3 threads byte-identical to 1" % (name, " ".join(extra), size))

    # 2. dlt-viewer's own selection
    if not DLT_VIEWER:
        print("SKIP: dlt-viewer is not installed: no comparison with its selection")
    else:
        env = dict(ENV, QT_QPA_PLATFORM="offscreen")
        # (under a sanitizer one input: this part is about dlt-viewer's selection, which the
        # release build checks in full)
        for inp in inputs[:1] if SANITIZED else inputs:
            base = os.path.splitext(os.path.basename(inp.name))[0]
            copy = path("dv-all-%s.dlt" % base)
            subprocess.run([DLT_VIEWER, "-s", "-d", "-c", inp.name, copy], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=300)
            if not check(os.path.exists(copy), "dlt-viewer converted %s" % inp.name):
                continue
            read = Input(copy)
            for name, (text, filters), compared in sampled(all_cases):
                if compared:
                    compare_dlt_viewer(read, name, path(name + ".dlf"), base)
        # The header string is in local time, for dlt-viewer and dltdump alike.
        f = path("header-berlin.dlf")
        open(f, "w").write(dlf(filt(header=r"^2024/03/01 11:00:0[0-2]\.", en_hdr=1, re_hdr=1))[0])
        berlin = dict(env, TZ="Europe/Berlin")
        copy = path("dv-all-mixed.dlt")
        subprocess.run([DLT_VIEWER, "-s", "-d", "-f", f, "-c", copy, path("dv-berlin.dlt")], env=berlin,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        theirs = subprocess.run([DLTDUMP, path("dv-berlin.dlt")], env=berlin, capture_output=True).stdout
        ours = subprocess.run([DLTDUMP, "--filter-file=" + f, copy], env=berlin, capture_output=True).stdout
        check(theirs == ours and ours.count(b"\n") > 100, "header text in local time (TZ=Europe/Berlin): %d and %d lines"
              % (theirs.count(b"\n"), ours.count(b"\n")))

    # 3. errors and warnings
    rc, out, err = run("--filter-file=" + path("missing.dlf"), inputs[0].name)
    check(rc == 1 and out == b"" and err.count(b"\n") == 1 and b"missing.dlf" in err, "missing file: %d %r" % (rc, err))
    for bad, word in (("<dltfilter><filter><type>0</type></filter>", b"not well-formed XML at line 1"),
                      ("<?xml version='1.0'?>\n<filters><filter/></filters>\n", b"<filters>"),
                      ("", b"not well-formed XML"),
                      (dlf(filt(payload="(", en_pay=1, re_pay=1))[0], b"regular expression")):
        open(path("bad.dlf"), "w").write(bad)
        rc, out, err = run("--filter-file=" + path("bad.dlf"), inputs[0].name)
        check(rc == 1 and out == b"" and err.count(b"\n") == 1 and word in err, "bad file %r: %d %r" % (bad, rc, err))
    text, _ = dlf(filt(apid="NAV", en_app=1, extra="        <colourOfTheDay>red</colourOfTheDay>\n"),
                  filt(type=1, ctid="GPS", en_ctx=1,
                       extra="        <enableRegexSearchReplace>1</enableRegexSearchReplace>\n"))
    open(path("warn.dlf"), "w").write(text)
    rc, out, err = run("--filter-file=" + path("warn.dlf"), inputs[0].name)
    lines = err.decode().splitlines()
    check(rc == 0 and len(lines) == 2 and "filter 1: unknown element <colourOfTheDay>" in lines[0] and
          "filter 2: <enableRegexSearchReplace> is not supported" in lines[1], "warnings: %d %r" % (rc, lines))
    _, filters = dlf(filt(apid="NAV", en_app=1), filt(type=1, ctid="GPS", en_ctx=1))
    want = model(inputs[0], filters)
    check(out.decode() == "".join(inputs[0].lines[i] for i in want), "warnings: the rest of the file still applies")
    finish()


main()
