#!/usr/bin/python3
"""JSON Lines and CSV records (issue #22), read back as their users read them.

For generated corpora of every input kind (DLT file with corruption, network recording,
capture, non-verbose log with its FIBEX catalogue) and a hand-built file of hostile
arguments:

* every JSON line parses with Python's json module and with jq;
* each record's fields say what the text line of the same message says: the line is
  rebuilt from the record (time, ids, type, kind, argument count, text) and must equal
  `dltdump`'s line byte for byte; the typed arguments rebuilt as text must equal the
  record's text (so they carry what the line shows, which the golden tests check against
  the generators' truth);
* the hostile file's arguments equal the values written, exactly: every byte value in
  ASCII and UTF-8 strings (invalid UTF-8 replaced and flagged), VARI names and units,
  integers of 8 to 128 bits, floats of 16 to 64 bits (bit-exact round trip), both byte
  orders;
* CSV read with the csv module and with pandas gives the JSON record's fields;
* the records are byte-identical for 1 and 2 threads, and with context the records are
  those of the text lines.

Usage: records_test.py DLTDUMP DLTGEN CAPGEN NVGEN WORKDIR
"""
import csv
import io
import json
import math
import os
import struct
import subprocess
import sys

from cli_checks import ENV, check, finish, runner, schema_validator

DLTDUMP, DLTGEN, CAPGEN, NVGEN, WORK = (os.path.abspath(a) for a in sys.argv[1:6])
run = runner(DLTDUMP)


def path(name):
    return os.path.join(WORK, name)


# -- rebuilding a line from a record -----------------------------------------------------

def line_time(rec):
    t = rec["time"]
    if t is None:
        return "1970/01/01 00:00:00.000000"
    return t[0:4] + "/" + t[5:7] + "/" + t[8:10] + " " + t[11:26]


def line_of(rec):
    if rec["record"] == "skip":
        return "%s 0.0000 -1  SKIP SKIP 0 log warn verbose 4 %s" % (line_time(rec), rec["text"])
    dev = "0.0000" if rec["device_time"] is None else "%.4f" % rec["device_time"]
    session = 0 if rec["session"] is None else rec["session"]
    if rec["type"] is None:
        type_text = ""
    else:
        type_text = rec["type"] + " " + (rec["subtype"] or "")
    head = "%s %s %d %s %s %s %d %s" % (line_time(rec), dev, rec["counter"], rec["ecu"], rec["app"], rec["ctx"],
                                        session, type_text)
    if rec["kind"] == "control":
        return head + " non-verbose " + rec["text"]
    return "%s %s %d %s" % (head, rec["kind"], rec["noar"], rec["text"])


# -- rebuilding the text from typed arguments ---------------------------------------------

def shown(s):
    """A string as a line shows it: C0, DEL and C1 controls, U+2028 and U+2029 as '.'."""
    return "".join("." if (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029") else c for c in s)


def g(v, bits):
    if isinstance(v, str):  # NaN and the infinities
        return {"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}[v]
    if bits == 32:  # the binary32 value the shortest text stands for (the text reads back to it)
        v = struct.unpack("<f", struct.pack("<f", v))[0]
    return "%g" % v


def number_text(arg, v):
    t = arg["type"]
    if t == "bool":
        return "true" if v else "false"
    if t == "float":
        return g(v, arg.get("bits"))
    n = int(v)
    coding = arg.get("coding")
    bits = arg["bits"]
    if coding == "hex":
        return "0x%0*x" % (bits // 4, n)
    if coding == "bin":
        digits = format(n, "0%db" % bits)
        return "0b" + " ".join(digits[i:i + 4] for i in range(0, bits, 4))
    return str(n)


def arg_text(arg):
    t = arg["type"]
    if t in ("bool", "sint", "uint", "float"):
        return number_text(arg, arg["value"])
    if t == "array":
        item = {"type": arg["of"], "bits": arg["bits"], "coding": arg.get("coding")}
        return "[" + " ".join(number_text(item, v) for v in arg["value"]) + "]"
    if t == "struct":
        return "{" + " ".join(arg_text(a) for a in arg["value"]) + "}"
    if t in ("string", "trace", "text"):
        v = arg["value"]
        if arg.get("coding") == "ascii":
            v = v.replace("\xa0", " ")  # a line shows ISO-8859-15's no-break space as a space
        return shown(v)
    if t == "raw":
        h = arg["value"]
        return " ".join(h[i:i + 2] for i in range(0, len(h), 2))
    if t == "unknown":
        h = arg["value"]
        n = len(h) // 2
        pairs = " ".join(h[i:i + 2] for i in range(0, len(h), 2))
        return "(%02x)" % n + (" " + pairs if n else "")
    raise ValueError("unknown argument type " + t)


def text_of(rec):
    """The record's text rebuilt from its typed arguments (None: not rebuildable)."""
    if rec["record"] != "message" or rec["kind"] == "control":
        return None
    if rec["kind"] == "verbose":
        return " ".join(arg_text(a) for a in rec["args"])
    head = "[%d] " % rec["message_id"]
    args = rec["args"]
    if rec["noar"] == 1 and (not args or (len(args) == 1 and args[0]["type"] == "raw")) and "|" in rec["text"]:
        data = bytes.fromhex(args[0]["value"]) if args else b""
        ascii_part = "".join(chr(b) if 0x20 <= b < 0x7F else "-" for b in data)
        return head + ascii_part + "|" + " ".join("%02x" % b for b in data)
    if not args and rec["text"] == head:
        return head
    return head + " ".join(arg_text(a) for a in args)


# -- one corpus ---------------------------------------------------------------------------

CSV_FIELDS = ["record", "input", "position", "time", "device_time", "counter", "ecu", "app", "ctx", "session", "kind",
              "type", "subtype", "message_id", "noar", "text"]


def csv_value(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return "%.4f" % v  # device time: four decimals, as written
    return str(v)


def unique_keys(pairs):
    """A JSON object's pairs as a dict, refusing a key given twice (json.loads keeps the
    last one silently: a second "replaced" would pass unseen)."""
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a key given twice in an object: %r" % keys)
    return dict(pairs)


def check_corpus(name, args, parallel=False):
    rc, text, err = run(*args)
    check(rc == 0, "%s: text exit 0 (%s)" % (name, err[:200]))
    lines = text.decode("utf-8").split("\n")[:-1]
    rc, out, err = run("--out=json", *args)
    check(rc == 0 and err == b"", "%s: json exit 0, quiet (%s)" % (name, err[:200]))
    raw_lines = out.split(b"\n")[:-1]
    check(len(raw_lines) == len(lines), "%s: one record per line (%d vs %d)" % (name, len(raw_lines), len(lines)))
    records = []
    for k, raw in enumerate(raw_lines):
        try:
            records.append(json.loads(raw.decode("utf-8"), object_pairs_hook=unique_keys))
        except (ValueError, UnicodeDecodeError) as e:
            check(False, "%s: record %d parses: %s" % (name, k, e))
            return
    check(all(0x20 <= b < 0x7F or b >= 0x80 for b in out.replace(b"\n", b"")), "%s: no control byte" % name)
    # U+2028/U+2029 escaped: a reader that splits lines as JavaScript or str.splitlines() does
    # sees one record per line too
    check(b"\xe2\x80\xa8" not in out and b"\xe2\x80\xa9" not in out, "%s: no raw U+2028/U+2029" % name)
    check(len(out.decode("utf-8").splitlines()) == len(records), "%s: str.splitlines() finds the records" % name)
    if VALIDATOR:
        invalid = [e.message for r in records for e in VALIDATOR.iter_errors(r)]
        check(not invalid, "%s: every record valid by the schema (%s)" % (name, invalid[:2]))
    jq = subprocess.run(["jq", "-c", "."], input=out, capture_output=True)
    check(jq.returncode == 0 and len(jq.stdout.split(b"\n")) - 1 == len(records), "%s: jq reads every record" % name)
    bad_lines = bad_texts = 0
    for rec, line in zip(records, lines):
        if line_of(rec) != line:
            bad_lines += 1
            if bad_lines <= 3:
                print("  line:   ", line[:300], "\n  rebuilt:", line_of(rec)[:300])
        rebuilt = text_of(rec)
        if rebuilt is not None and rebuilt != rec["text"]:
            bad_texts += 1
            if bad_texts <= 3:
                print("  text:   ", rec["text"][:300], "\n  rebuilt:", rebuilt[:300], "\n  args:", rec["args"])
    check(bad_lines == 0, "%s: every record rebuilds its line (%d do not)" % (name, bad_lines))
    check(bad_texts == 0, "%s: every record's arguments rebuild its text (%d do not)" % (name, bad_texts))

    # CSV: the same fields, through the csv module and pandas
    rc, out_csv, err = run("--out=csv", *args)
    check(rc == 0, "%s: csv exit 0" % name)
    rows = list(csv.reader(io.StringIO(out_csv.decode("utf-8"), newline="")))
    check(rows and rows[0] == CSV_FIELDS, "%s: csv header" % name)
    want = [[csv_value(r.get(f)) for f in CSV_FIELDS] for r in records]
    check(rows[1:] == want, "%s: csv rows equal the json records' fields" % name)
    try:
        import pandas
        frame = pandas.read_csv(io.BytesIO(out_csv), dtype=str, keep_default_na=False)
        check(list(frame.columns) == CSV_FIELDS and frame.values.tolist() == want,
              "%s: pandas reads the json records' fields" % name)
    except ImportError:
        print("SKIP: pandas missing (Debian python3-pandas): %s read with the csv module only" % name)

    if parallel:
        for style in ("json", "csv"):
            outs = [run("--out=" + style, "--threads=%d" % t, *args)[1] for t in (1, 2)]
            check(outs[0] == outs[1], "%s: %s identical for 1 and 2 threads" % (name, style))
    return records


# -- hostile arguments, built here --------------------------------------------------------

def verbose_packet(args_bytes, noar, be, counter):
    htyp = 0x20 | 0x01 | 0x04 | (0x02 if be else 0)  # version 1, extended header, ECU id
    ext = bytes([0x41, noar]) + b"APP1" + b"CTX1"
    body = b"ECU1" + ext + args_bytes
    length = 4 + len(body)
    return bytes([htyp, counter]) + struct.pack(">H", length) + body


def storage(packet, seconds, micros=0):
    return b"DLT\x01" + struct.pack("<Ii", seconds, micros) + b"ECU1" + packet


def hostile_file():
    """Messages of one argument each, with what the JSON value must be."""
    msgs = []
    for be in (False, True):
        e = ">" if be else "<"

        def ti(v):
            return struct.pack(e + "I", v)

        def add(payload, expect):
            msgs.append((payload, be, expect))

        every = bytes(range(256))
        # strings: every byte value, ASCII (ISO-8859-15) and UTF-8 codings, with a VARI name
        # that is UTF-8 or not: the argument is flagged once if its name or value is not
        for coding, scod, decode in (("ascii", 0, lambda b: b.decode("iso8859_15")),
                                     ("utf8", 1, lambda b: b.decode("utf-8", "replace"))):
            data = every + b"\x00"
            for name in (b"n\x01\"\\\xff\xe2\x80\xa8\x00", b"n\x01\"\\\xe2\x80\xa8\x00"):
                add(ti(0x200 | 0x800 | (scod << 15)) + struct.pack(e + "HH", len(data), len(name)) + name + data,
                    {"type": "string", "coding": coding, "value": decode(every), "name": decode_name(name),
                     "replaced": coding == "utf8" or b"\xff" in name})
        valid = "é€😀 \t\n\"\\\u2028\u2029".encode("utf-8")
        add(ti(0x200 | (1 << 15)) + struct.pack(e + "H", len(valid)) + valid,
            {"type": "string", "coding": "utf8", "value": valid.decode("utf-8")})
        # integers: every width, extremes, with VARI name and unit
        for bits in (8, 16, 32, 64, 128):
            tyle = {8: 1, 16: 2, 32: 3, 64: 4, 128: 5}[bits]
            for signed, vals in ((False, (0, 1, 2 ** bits - 1, 2 ** 53, 2 ** 53 + 1)),
                                 (True, (-(2 ** (bits - 1)), -1, 2 ** (bits - 1) - 1, -(2 ** 53) - 1))):
                for v in vals:
                    if v >= 2 ** bits or v < -(2 ** (bits - 1)) * signed or (not signed and v < 0):
                        continue
                    if signed and not (-(2 ** (bits - 1)) <= v < 2 ** (bits - 1)):
                        continue
                    raw = (v % (2 ** bits)).to_bytes(bits // 8, "big" if be else "little")
                    name, unit = b"speed\x00", b"km/h\x00"
                    base = 0x20 if signed else 0x40
                    add(ti(base | tyle | 0x800) + struct.pack(e + "HH", len(name), len(unit)) + name + unit + raw,
                        {"type": "sint" if signed else "uint", "bits": bits,
                         "value": str(v) if abs(v) > 2 ** 53 else v, "name": "speed", "unit": "km/h"})
        # a name or a unit that is not UTF-8 flags the argument too (a number: no value text)
        for name, unit in ((b"sp\xffed\x00", b"km/h\x00"), (b"speed\x00", b"\xc3km\x00"),
                           (b"\xff\x00", b"\xfe\x00")):
            add(ti(0x40 | 3 | 0x800) + struct.pack(e + "HH", len(name), len(unit)) + name + unit +
                struct.pack(e + "I", 7),
                {"type": "uint", "bits": 32, "value": 7, "name": decode_name(name), "unit": decode_name(unit),
                 "replaced": True})
        # floats: 16, 32 and 64 bits, bit-exact (NaN and infinities as strings)
        for bits, fmt in ((16, "e"), (32, "f"), (64, "d")):
            tyle = {16: 2, 32: 3, 64: 4}[bits]
            for v in (0.1, -2.5e-3, 65504.0 if bits == 16 else 3.4e38, float("inf"), float("-inf"), float("nan"),
                      1e-7 if bits != 16 else 6e-8):
                raw = struct.pack(e + fmt, v)
                add(ti(0x80 | tyle) + raw, {"type": "float", "bits": bits, "raw": raw, "fmt": e + fmt})
        # raw data and a bool
        add(ti(0x400) + struct.pack(e + "H", 3) + b"\x00\xff\x10", {"type": "raw", "value": "00ff10"})
        add(ti(0x10 | 1) + b"\x02", {"type": "bool", "bits": 8, "value": True})
    data = b"".join(storage(verbose_packet(p, 1, be, k % 256), 1700000000 + k) for k, (p, be, _) in
                    enumerate(msgs))
    return data, [m[2] for m in msgs]


def decode_name(b):
    if b.endswith(b"\x00"):
        b = b[:-1]
    return b.decode("utf-8", "replace")


def check_hostile():
    data, expects = hostile_file()
    with open(path("hostile.dlt"), "wb") as f:
        f.write(data)
    records = check_corpus("hostile arguments", [path("hostile.dlt")])
    if records is None:
        return
    check(len(records) == len(expects), "hostile: one record per message")
    for k, (rec, want) in enumerate(zip(records, expects)):
        got = rec["args"][0] if rec["args"] else {}
        if want["type"] == "float":
            ok = got.get("type") == "float" and got.get("bits") == want["bits"]
            v = got.get("value")
            if isinstance(v, str):
                f = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}[v]
            else:
                f = v
            # the value read back, stored at the argument's width, gives the same bits
            back = struct.pack(want["fmt"], f) if f is not None else None
            orig = struct.unpack(want["fmt"], want["raw"])[0]
            ok = ok and (back == want["raw"] or (math.isnan(orig) and isinstance(v, str) and v == "NaN"))
            check(ok, "hostile %d: float %s round-trips exactly (got %r)" % (k, want["raw"].hex(), v))
            continue
        exp = dict(want)
        if not exp.pop("replaced", False):
            check("replaced" not in got, "hostile %d: not flagged replaced" % k)
        else:
            check(got.get("replaced") is True, "hostile %d: invalid UTF-8 flagged" % k)
        for key, value in exp.items():
            check(got.get(key) == value, "hostile %d: %s is %r, not %r" % (k, key, value, got.get(key)))


def check_early_and_exact_times():
    """time_us is written from the second's digits and the six within it: the first second
    (no leading zeros), second boundaries and carries, and the quoted ids' escapes."""
    arg = struct.pack("<I", 0x200 | (1 << 15)) + struct.pack("<H", 3) + b"h\"\x00"
    times = ((0, 0), (0, 5), (0, 999999), (1, 0), (1, 7), (99999999, 1), (100000000, 1), (1700000000, 999999),
             (1700000001, 0))
    data = b"".join(storage(verbose_packet(arg, 1, False, k), sec, us) for k, (sec, us) in enumerate(times))
    with open(path("early.dlt"), "wb") as f:
        f.write(data)
    records = check_corpus("times of the first second and at second boundaries", [path("early.dlt")])
    if records:
        got = [rec["time_us"] for rec in records]
        check(got == [sec * 1000000 + us for sec, us in times], "time_us: %r" % got)
        rc, out, _ = run("--out=json", path("early.dlt"))
        check(b'"time_us":0,' in out and b'"time_us":5,' in out and b'"time_us":1000000,' in out,
              "time_us without leading zeros")


def check_late_times():
    """Storage header seconds are unsigned 32-bit: 2^31 is 2038, 2^32 - 1 is 2106 (not 1901)."""
    arg = struct.pack("<I", 0x200 | (1 << 15)) + struct.pack("<H", 3) + b"hi\x00"
    times = ((0x80000000, 0, "2038-01-19T03:14:08.000000Z"), (0xFFFFFFFF, 999999, "2106-02-07T06:28:15.999999Z"))
    data = b"".join(storage(verbose_packet(arg, 1, False, k), sec, us) for k, (sec, us, _) in enumerate(times))
    with open(path("late.dlt"), "wb") as f:
        f.write(data)
    rc, text, _ = run(path("late.dlt"))
    lines = text.decode().splitlines()
    want_lines = [t.replace("-", "/").replace("T", " ").rstrip("Z") for _, _, t in times]
    check(rc == 0 and [ln[:26] for ln in lines] == want_lines, "late times in text lines: %r" % lines)
    records = check_corpus("storage header times past 2038", [path("late.dlt")])
    if records:
        for rec, (sec, us, utc) in zip(records, times):
            check(rec["time"] == utc and rec["time_us"] == sec * 1000000 + us,
                  "late time in JSON: %r %r" % (rec["time"], rec["time_us"]))
    rc, out, _ = run("--out=csv", path("late.dlt"))
    rows = list(csv.DictReader(io.StringIO(out.decode())))
    check([r["time"] for r in rows] == [t for _, _, t in times], "late times in CSV: %r" % [r["time"] for r in rows])
    # --not-before/--not-after compare the unsigned time
    rc, out, _ = run("--out=json", "--not-before=2100-01-01Z", path("late.dlt"))
    check(out.count(b"\n") == 1 and b"2106-02-07" in out, "--not-before 2100 keeps the 2106 message only")
    # written back unchanged: DLT byte for byte, PCAP-NG with the same instant
    for name in ("late-out.dlt", "late-out.pcapng"):
        if os.path.exists(path(name)):
            os.unlink(path(name))
    rc, _, err = run("-o", path("late-out.dlt"), path("late.dlt"))
    with open(path("late-out.dlt"), "rb") as f:
        check(rc == 0 and f.read() == data, "late times: the DLT output is the input byte for byte")
    rc, _, err = run("-o", path("late-out.pcapng"), path("late.dlt"))
    rc2, out, _ = run("--out=json", path("late-out.pcapng"))
    got = [json.loads(ln)["time_us"] for ln in out.decode().splitlines()]
    check(rc == 0 and rc2 == 0 and got == [sec * 1000000 + us for sec, us, _ in times],
          "late times: the PCAP-NG output keeps them (%r)" % got)


def check_fibex_names(records, catalogue_dir):
    """FIBEX-decoded arguments carry their signal instance's VARI_NAME and VARI_UNIT as
    `name` and `unit` (left out when empty), as verbose VARI arguments do."""
    import xml.etree.ElementTree as ET

    def local(tag):
        return tag.rsplit("}", 1)[-1]

    frames = {}
    for fname in sorted(os.listdir(catalogue_dir)):
        if not fname.endswith(".xml"):
            continue
        root = ET.parse(os.path.join(catalogue_dir, fname)).getroot()
        pdus = {}
        for pdu in root.iter():
            if local(pdu.tag) != "PDU":
                continue
            name = unit = ""
            for si in pdu.iter():
                if local(si.tag) == "SIGNAL-INSTANCE":
                    for e in si.iter():
                        if local(e.tag) == "VARI_NAME":
                            name = (e.text or "").strip()
                        elif local(e.tag) == "VARI_UNIT":
                            unit = (e.text or "").strip()
                    break
            pdus[pdu.get("ID")] = (name, unit)
        for fr in root.iter():
            if local(fr.tag) != "FRAME":
                continue
            refs = [pdus.get(r.get("ID-REF"), ("", "")) for r in fr.iter() if local(r.tag) == "PDU-REF"]
            ext = {local(e.tag): (e.text or "") for e in fr.iter()}
            key = (ext.get("APPLICATION_ID"), ext.get("CONTEXT_ID"), int(fr.get("ID")[3:]))
            frames.setdefault(key, refs)
    named = bad = 0
    for rec in records:
        if rec["kind"] != "non-verbose":
            continue
        refs = frames.get((rec["app"], rec["ctx"], rec["message_id"]))
        if refs is None or len(refs) != len(rec["args"]) or rec["noar"] != len(refs):
            continue
        for arg, (name, unit) in zip(rec["args"], refs):
            want = {k: v for k, v in (("name", name), ("unit", unit)) if v}
            got = {k: arg[k] for k in ("name", "unit") if k in arg}
            if arg["type"] == "text":
                want = {}
            named += "name" in got
            if got != want:
                bad += 1
                if bad <= 3:
                    print("  arg:", arg, "want", want)
    check(named > 0 and bad == 0, "FIBEX arguments carry VARI_NAME/VARI_UNIT (%d named, %d wrong)" % (named, bad))


VALIDATOR = None


def main():
    global VALIDATOR
    os.makedirs(WORK, exist_ok=True)
    VALIDATOR = schema_validator(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs",
                                              "json-records.schema.json"))

    def gen(*args):
        subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL)

    gen(DLTGEN, "--count", "3000", "--seed", "21", "--corrupt", "3", "-o", path("mixed.dlt"))
    gen(DLTGEN, "--format", "net", "--count", "2000", "--seed", "22", "-o", path("net.bin"))
    gen(CAPGEN, "--dlt", path("net.bin"), "--flows", "2", "--seed", "22", "-o", path("net.pcapng"))
    gen(DLTGEN, "--size", "6M", "--seed", "23", "--corrupt", "2", "-o", path("big.dlt"))
    os.makedirs(path("cat"), exist_ok=True)
    gen(NVGEN, "--clean", "50", "--count", "3000", "--seed", "24", "--catalogue", path("cat"), "-o", path("nv.dlt"))

    check_corpus("DLT file with corruption", [path("mixed.dlt")])
    check_corpus("network recording", ["--format=net", path("net.bin")])
    check_corpus("capture", [path("net.pcapng")])
    records = check_corpus("non-verbose log with its catalogue", ["-F", path("cat"), path("nv.dlt")])
    if records:
        check_fibex_names(records, path("cat"))
    check_corpus("non-verbose log without catalogue", [path("nv.dlt")])
    check_corpus("6 MiB file, parallel", [path("big.dlt")], parallel=True)
    check_corpus("several inputs of mixed kinds, context", ["-s", "error", "-A", "1", "-B", "2", path("mixed.dlt"),
                                                            path("net.pcapng"), path("big.dlt")])
    check_hostile()
    check_late_times()
    check_early_and_exact_times()

    # A file name with a control character and a byte that is not UTF-8: the same text in
    # JSON and CSV (as diagnostics show it), no control byte in either.
    odd = os.fsdecode(os.fsencode(WORK) + b"/lat\xe4\x01n,\"q\"\xe2\x80\xa9.dlt")
    with open(path("mixed.dlt"), "rb") as src, open(odd, "wb") as dst:
        dst.write(src.read())
    records = check_corpus("an odd file name", [odd])
    if records:
        check(records[0]["input"].endswith("/lat\\xE4\\x01n,\"q\"\\xE2\\x80\\xA9.dlt"), "odd name shown: %r" % records[0]["input"])

    # Inputs are named as the command line names them.
    relative = subprocess.run([DLTDUMP, "--out=json", "mixed.dlt"], capture_output=True, env=ENV, cwd=WORK)
    out = relative.stdout
    check(json.loads(out.split(b"\n")[0])["input"] == "mixed.dlt", "a relative name stays as given")

    # The input is named as given; standard input as "-".
    rc, out, _ = run("--out=json", "-", stdin=open(path("mixed.dlt"), "rb").read())
    first = json.loads(out.split(b"\n")[0])
    check(first["input"] == "-", "standard input is named '-' (%r)" % first["input"])

    # A CSV output file holds its header once; an empty result on the console is a header.
    csv_path = path("out.csv")
    if os.path.exists(csv_path):
        os.unlink(csv_path)
    rc, _, _ = run("-o", csv_path, path("mixed.dlt"), path("net.pcapng"))
    with open(csv_path, encoding="utf-8", newline="") as f:
        text = f.read()
    check(rc == 0 and text.count("record,input,position") == 1, "-o x.csv: one header row")
    rc, out, _ = run("--out=csv", "--appid=NONE", path("mixed.dlt"))
    check(out.decode() == ",".join(CSV_FIELDS) + "\n", "an empty CSV result is its header")
    rc, out, _ = run("-o", path("out.jsonl"), path("mixed.dlt"))
    with open(path("out.jsonl"), "rb") as f:
        check(f.read() == run("--out=json", path("mixed.dlt"))[1], "-o x.jsonl: the console's JSON records")

    finish()


main()
