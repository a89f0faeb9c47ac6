"""The Python module against the command line: iteration, filters, errors, FIBEX and
read_dataframe give what `dltdump --out=json` gives for the same files and options; the
decoding releases the GIL."""

import contextlib
import math
import os
import socket
import subprocess
import threading
import time

import numpy as np
import pandas as pd
import pytest

import dltdump
from conftest import DLTDUMP, ENV, NVGEN, cli_messages, cli_records, dltgen, run

FIELDS = ("position", "counter", "ecu", "app", "ctx", "session", "kind", "type", "subtype", "message_id", "noar",
          "text")


@pytest.fixture(scope="module")
def mixed(work):
    return dltgen(work, "mixed.dlt", "--count", "3000", "--seed", "27")


@pytest.fixture(scope="module")
def corrupt(work):
    return dltgen(work, "corrupt.dlt", "--count", "2000", "--seed", "28", "--corrupt", "10", "--truncate")


@pytest.fixture(scope="module")
def network(work):
    return dltgen(work, "net.bin", "--format", "net", "--count", "1500", "--seed", "29")


@pytest.fixture(scope="module")
def fibex(work):
    cat = os.path.join(work, "cat")
    log = os.path.join(work, "nv.dlt")
    if not os.path.exists(log):
        run([NVGEN, "--mode", "default", "--format", "file", "--count", "3000", "--seed", "5", "--catalogue", cat,
             "-o", log])
    return cat, log


def json_value(a):
    """A JSON argument's value as the module gives it."""
    t, v = a["type"], a["value"]
    if t == "struct":
        return [json_value(m) for m in v]
    if t == "raw":
        return bytes.fromhex(v)
    if t in ("sint", "uint") or a.get("of") in ("sint", "uint"):
        return [int(x) for x in v] if isinstance(v, list) else int(v)
    if t == "float" or a.get("of") == "float":
        return [float(x) for x in v] if isinstance(v, list) else float(v)
    return v


def same_value(got, want):
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(same_value, got, want))
    if isinstance(want, float):
        # JSON writes a binary32 value in its shortest form: equal as binary32.
        return (math.isnan(want) and math.isnan(got)) or got == want or np.float32(got) == np.float32(want) or \
            math.isclose(got, want, rel_tol=1e-15)
    return type(got) is type(want) and got == want


def check_message(m, r):
    for f in FIELDS:
        assert getattr(m, f) == r[f], (f, m, r)
    assert m.time_us == r["time_us"]
    assert m.input == r["input"]
    if r["device_time"] is None:
        assert m.device_time is None
    else:
        assert round(m.device_time, 4) == r["device_time"]
    assert m.level == (r["mtin"] if r["type"] == "log" and 1 <= r["mtin"] <= 6 else 0)
    if r["kind"] == "verbose":
        want = [json_value(a) for a in r["args"]]
        assert same_value(m.args, want), (m.args, want)


def test_iteration_matches_the_command_line(mixed, network):
    for path in (mixed, network):
        messages = list(dltdump.open(path))
        records = cli_messages(path)
        assert len(messages) == len(records) > 1000
        for m, r in zip(messages, records):
            check_message(m, r)
    m = next(dltdump.open(mixed))
    assert m.time == m.time_us / 1e6 and m.datetime.timestamp() == m.time and m.verbose


def test_several_inputs_one_after_the_other(mixed, network):
    got = [(m.input, m.position) for m in dltdump.open([mixed, network])]
    want = [(r["input"], r["position"]) for r in cli_messages(mixed) + cli_messages(network)]
    assert got == want
    # The same input twice: read twice, one category.
    df = dltdump.read_dataframe([mixed, network, mixed], text=False)
    assert list(df["input"].cat.categories) == [mixed, network]
    assert list(df["input"]) == [mixed] * len(cli_messages(mixed)) + [network] * len(cli_messages(network)) + \
        [mixed] * len(cli_messages(mixed))


FILTERS = [
    (dict(appid="NAV"), ["--appid", "NAV"]),
    (dict(appid=["NAV", "DIAG"], ctxid="NET"), ["--appid", "NAV,DIAG", "--ctxid", "NET"]),
    (dict(ecuid="TCB", not_appid="NAV"), ["--ecuid", "TCB", "--not-appid", "NAV"]),
    (dict(level="warn"), ["--level", "warn"]),
    (dict(type=["error", "fatal"]), ["--type", "error,fatal"]),
    (dict(type=48), ["--type", "48"]),
    (dict(not_type="info"), ["--not-type", "info"]),
    (dict(kind="non-verbose"), ["--nonverbose"]),
    (dict(control=True), ["--control"]),
    (dict(sessionid=[42, 67]), ["--sessionid", "42,67"]),
    (dict(s="error"), ["-s", "error"]),
    (dict(search="ERROR", i=True), ["-s", "ERROR", "-i"]),
    (dict(r=r"\d{4} "), ["-r", r"\d{4} "]),
    (dict(appid="NAV", v=True), ["--appid", "NAV", "-v"]),
    (dict(not_before=1709287201.5, not_after="2024-03-01T10:00:03"), None),
]


@pytest.mark.parametrize("filters,options", FILTERS, ids=[str(f) for f, _ in FILTERS])
def test_filters_are_the_command_lines(mixed, filters, options):
    if options is None:  # times: a datetime and seconds
        import datetime
        filters = dict(not_before=filters["not_before"],
                       not_after=datetime.datetime.fromisoformat(filters["not_after"]))
        options = ["--not-before", "2024-03-01 10:00:01.5", "--not-after", "2024-03-01 10:00:03"]
    got = [m.position for m in dltdump.open(mixed, **filters)]
    want = [r["position"] for r in cli_messages(*options, mixed)]
    assert got == want and 0 < len(want)
    df = dltdump.read_dataframe(mixed, **filters)
    assert df["position"].tolist() == want


def test_message_ids(work):
    path = dltgen(work, "nonverbose.dlt", "--count", "2000", "--seed", "30", "--profile", "nonverbose")
    ids = sorted({r["message_id"] for r in cli_messages(path) if r["message_id"] is not None})[:2]
    got = [m.position for m in dltdump.open(path, msgid=ids)]
    want = [r["position"] for r in cli_messages("--messageid", ",".join(map(str, ids)), path)]
    assert got == want and want


def test_errors():
    with pytest.raises(dltdump.Error) as e:
        list(dltdump.open("/nonexistent/trip.dlt"))
    assert e.value.kind == "input" and "/nonexistent/trip.dlt" in str(e.value)
    assert e.value.input == "/nonexistent/trip.dlt"
    with pytest.raises(dltdump.Error) as e:
        dltdump.read_dataframe(["/nonexistent/trip.dlt"])
    assert isinstance(e.value, Exception) and e.value.kind == "input"
    for bad in (dict(appid="TOOLONG"), dict(level="loud"), dict(type="nosuch"), dict(s=""), dict(format="zip")):
        with pytest.raises(dltdump.Error) as e:
            dltdump.open("x.dlt", **bad)
        assert e.value.kind == "argument", bad
    with pytest.raises(dltdump.Error) as e:  # compiled when a reader is made
        dltdump.read_dataframe([os.devnull], r="(")
    assert e.value.kind == "argument"
    with pytest.raises(TypeError):
        dltdump.open("x.dlt", nosuch=1)
    with pytest.raises(dltdump.Error) as e:
        dltdump.read_dataframe([os.devnull], fibex="/nonexistent/cat.xml")
    assert e.value.kind == "fibex"


def test_an_input_failing_part_way_ends_and_the_reading_goes_on(mixed, network, work):
    # A new user's finding: iterating again after an Error from a step read the dropped
    # batch (a segmentation fault). The input is at its end after its Error; the reading
    # goes on with the next input.
    import gzip
    with open(mixed, "rb") as f:
        packed = gzip.compress(f.read())
    cut = os.path.join(work, "cut-part-way.dlt.gz")
    with open(cut, "wb") as f:
        f.write(packed[:len(packed) // 2])
    r = dltdump.open([cut, network])
    first = []
    with pytest.raises(dltdump.Error) as e:
        for m in r:
            first.append(m.position)
    assert e.value.input == cut and len(first) > 100
    rest = [(m.input, m.position) for m in r]  # again: no crash, the next input
    assert rest == [(r_["input"], r_["position"]) for r_ in cli_messages(network)]
    single = dltdump.open(cut)
    with pytest.raises(dltdump.Error):
        list(single)
    assert list(single) == [] and list(single) == []


def test_read_dataframe_and_write_refuse_udp(work):
    # A new user's finding: both waited forever on a UDP input (it ends only when cancelled).
    for call in (lambda: dltdump.read_dataframe("udp://127.0.0.1:45999"),
                 lambda: dltdump.write(["UDP://127.0.0.1:45998"], os.path.join(work, "never.dlt"))):
        t = time.monotonic()
        with pytest.raises(dltdump.Error) as e:
            call()
        assert e.value.kind == "argument" and "ends only when cancelled" in str(e.value)
        assert time.monotonic() - t < 5
    assert not os.path.exists(os.path.join(work, "never.dlt"))


def test_error_text_is_the_command_lines_escaped_line(work):
    """A name with control bytes: the message is the line the command line prints (ESC and
    the like as \\xHH), not the raw bytes; a NUL does not cut it."""
    name = os.path.join(work, "trip\x1b[31mred\x07.dlt")
    cli = subprocess.run([DLTDUMP, name], capture_output=True, env=ENV)
    assert cli.returncode == 3
    line = cli.stderr.decode().rstrip("\n")
    assert "\\x1B[31mred\\x07.dlt" in line and "\x1b" not in line
    for read in (lambda: list(dltdump.open(name)), lambda: dltdump.read_dataframe(name)):
        with pytest.raises(dltdump.Error) as e:
            read()
        assert str(e.value) == line
        assert e.value.input == name  # the name as given
    with pytest.raises(dltdump.Error) as e:
        dltdump.read_dataframe(os.path.join(work, "a\x00b.dlt"))
    assert "\x00" not in str(e.value) and str(e.value).endswith("a\\x00b.dlt: a file name cannot hold a NUL byte")
    assert e.value.kind == "input"
    with pytest.raises(dltdump.Error) as e:
        dltdump.open("x.dlt", kind="ver\x1bbose\x00!")
    assert str(e.value) == "Filter: kind 'ver\\x1Bbose\\x00!' is none of verbose, non-verbose, control"
    with pytest.raises(dltdump.Error) as e:  # a byte that is no UTF-8 (a surrogate escape)
        dltdump.open("x.dlt", level="lo\udcffud")
    assert str(e.value).startswith("Filter: level 'lo\\xFFud' is no log level")
    with pytest.raises(dltdump.Error) as e:
        dltdump.read_dataframe([os.devnull], fibex="cat\x1b.xml")
    assert e.value.kind == "fibex" and "cat\\x1B.xml" in str(e.value) and "\x1b" not in str(e.value)


def test_corrupt_input_is_skipped_as_the_command_line_does(corrupt):
    records = cli_records(corrupt)
    skipped = sum(r["length"] for r in records if r["record"] == "skip")
    messages = dltdump.open(corrupt)
    assert [m.position for m in messages] == [r["position"] for r in records if r["record"] == "message"]
    df = dltdump.read_dataframe(corrupt)
    assert skipped > 0 and df.attrs["skipped_bytes"] == skipped
    it = dltdump.Messages(corrupt, dltdump.Filter(), None, dltdump.Format.automatic)
    for _ in it:
        pass
    assert it.skipped_bytes == skipped


def frame_matches_records(df, records):
    """read_dataframe's rows equal the command line's message records, field by field."""
    assert len(df) == len(records)
    want = {f: [r[f] for r in records] for f in records[0]} if records else {}
    assert df["input"].astype(str).tolist() == want["input"]
    assert df["position"].tolist() == want["position"]
    got_us = [None if pd.isna(t) else t.value // 1000 for t in df["time"]]
    assert got_us == want["time_us"]
    got_dev = [None if math.isnan(t) else round(t, 4) for t in df["device_time"]]
    assert got_dev == want["device_time"]
    for f in ("counter", "ecu", "app", "ctx", "kind", "text"):
        assert df[f].astype(object).tolist() == want[f], f
    for f in ("session", "message_id", "noar"):
        got = [None if pd.isna(v) else int(v) for v in df[f]]
        assert got == want[f], f
    for f in ("type", "subtype"):
        got = [None if pd.isna(v) else v for v in df[f]]
        assert got == want[f], f
    levels = [m if t == "log" and m is not None and 1 <= m <= 6 else 0 for t, m in zip(want["type"], want["mtin"])]
    assert df["level"].tolist() == levels


def test_dataframe_matches_the_command_line(mixed, corrupt, network):
    paths = [mixed, corrupt, network]
    df = dltdump.read_dataframe(paths)
    records = [r for p in paths for r in cli_messages(p)]
    frame_matches_records(df, records)
    assert df["time"].dtype == "datetime64[ns]" and df["position"].dtype == np.uint64
    for f in ("ecu", "app", "ctx", "input", "kind", "type"):
        assert df[f].dtype == "category", f
    assert str(df["session"].dtype) == "Int32" and df["level"].dtype == np.uint8
    assert "text" not in dltdump.read_dataframe(mixed, text=False)


def test_fibex(fibex):
    cat, log = fibex
    records = cli_messages("-F", cat, log)
    assert any(r["kind"] == "non-verbose" and r["noar"] and r["noar"] > 1 for r in records)
    frame_matches_records(dltdump.read_dataframe(log, fibex=cat), records)
    catalogue = dltdump.Catalogue([cat])
    got = list(dltdump.open(log, fibex=catalogue))
    assert [m.text for m in got] == [r["text"] for r in records]
    app = next(r["app"] for r in records if r["kind"] == "non-verbose" and r["app"])
    assert [m.position for m in dltdump.open(log, fibex=catalogue, appid=app)] == \
        [r["position"] for r in cli_messages("-F", cat, "--appid", app, log)]


def test_the_gil_is_released_while_decoding(work):
    big = dltgen(work, "big.dlt", "--size", "48M", "--seed", "31")
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1

    t = threading.Thread(target=count)
    t.start()
    try:
        start = ticks
        time.sleep(0.2)  # the counter alone: its rate
        rate = (ticks - start) / 0.2
        # The C++ call alone (read_dataframe's Python part lets the thread run anyway): the
        # thread counts only if the call lets go of the GIL.
        args = ([big], dltdump.Filter(), None, dltdump.Format.automatic, False)
        before = ticks
        started = time.monotonic()
        columns = dltdump._dltdump.read_columns(*args)
        took = time.monotonic() - started
        during = ticks - before
    finally:
        done.set()
        t.join()
    assert len(columns["position"]) > 100_000
    # Held, the GIL would let the thread count nothing during the call (a switch interval,
    # 5 ms, at the most); released, about its own rate (the 2 cores may be busy: a fifth).
    print(f"GIL: the thread counted {during / (rate * took):.2f} of its own rate during the call")
    assert took > 0.05 and during > 0.2 * rate * took, (took, during, rate)


def _free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _fields(messages):
    return [(m.position, m.counter, m.ecu, m.app, m.ctx, m.kind, m.text, m.args) for m in messages]


def test_live_tcp_stream_is_read_to_its_end(network):
    """A TCP stream is read as it arrives until the peer closes it: the messages of the same
    bytes read as a network recording, each with the PC clock of its arrival."""
    with open(network, "rb") as f:
        data = f.read()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve():
        conn, _ = server.accept()
        with conn:
            conn.sendall(data[:5000])
            time.sleep(0.05)
            conn.sendall(data[5000:])
        server.close()

    peer = threading.Thread(target=serve)
    peer.start()
    before = time.time()
    got = list(dltdump.open(f"tcp://127.0.0.1:{server.getsockname()[1]}"))
    peer.join()
    assert _fields(got) == _fields(dltdump.open(network, format="net")) and len(got) > 1000
    assert all(before - 1 <= m.time <= time.time() + 1 for m in got)


def test_live_refused_connection_is_one_error_naming_the_uri():
    uri = f"tcp://127.0.0.1:{_free_port(socket.SOCK_STREAM)}"
    with pytest.raises(dltdump.Error) as e:
        list(dltdump.open(uri))
    assert e.value.kind == "input" and e.value.input == uri
    assert str(e.value) == f"Couldn't connect to the stream end-point {uri} (Connection refused)."


@contextlib.contextmanager
def _sending(packet, port):
    """Sends `packet` to UDP `port` on 127.0.0.1 every 50 ms until the block ends: a
    reading binds its port only when its iteration opens the input, so the block waits
    for the first message there."""
    stop = threading.Event()

    def send():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            while not stop.is_set():
                s.sendto(packet, ("127.0.0.1", port))
                time.sleep(0.05)

    sender = threading.Thread(target=send)
    sender.start()
    try:
        yield
    finally:
        stop.set()
        sender.join()


def test_live_udp_waits_without_the_gil_and_cancel_ends_it(network):
    """A UDP reading waits for datagrams without the GIL (the sender thread runs meanwhile),
    and cancel() from another thread ends a waiting step."""
    with open(network, "rb") as f:
        data = f.read()
    packet = data[:int.from_bytes(data[2:4], "big")]  # the first message
    port = _free_port(socket.SOCK_DGRAM)
    reading = dltdump.open(f"udp://127.0.0.1:{port}")
    with _sending(packet, port):
        first = next(reading)
    want = next(dltdump.open(network, format="net"))
    assert (first.app, first.ctx, first.text) == (want.app, want.ctx, want.text)
    canceller = threading.Timer(0.3, reading.cancel)
    start = time.monotonic()
    canceller.start()
    rest = list(reading)  # the datagrams still queued, then the end
    canceller.join()
    assert 0.2 < time.monotonic() - start < 10
    assert all(m.text == want.text for m in rest)
    assert list(reading) == []


def test_live_udp_drops_are_counted(network):
    """Reading.datagrams counts a UDP input's datagrams as the command line reports them:
    a burst larger than the queue (65536 datagrams) sent while the iteration does not step
    loses some, and the counts say how many (a new user's finding: the library could not
    tell)."""
    with open(network, "rb") as f:
        data = f.read()
    packet = data[:int.from_bytes(data[2:4], "big")]  # the first message
    port = _free_port(socket.SOCK_DGRAM)
    reading = dltdump.open(f"udp://127.0.0.1:{port}")
    assert reading.datagrams == {"received": 0, "kernel_drops": 0, "dltdump_drops": 0}
    with _sending(packet, port):
        delivered = [next(reading)]
    time.sleep(0.3)
    d = reading.datagrams
    before = d["received"] + d["kernel_drops"]  # the probes that reached the bound port
    burst = 70000
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _ in range(burst):
            s.sendto(packet, ("127.0.0.1", port))
        time.sleep(0.3)  # one more: the kernel tells the drops before it with it
        s.sendto(packet, ("127.0.0.1", port))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        d = reading.datagrams
        if d["received"] + d["kernel_drops"] >= before + burst + 1:
            break
        time.sleep(0.05)
    reading.cancel()
    delivered += list(reading)
    d = reading.datagrams
    assert d["received"] + d["kernel_drops"] == before + burst + 1, d
    assert len(delivered) == d["received"] - d["dltdump_drops"], (len(delivered), d)
    assert d["kernel_drops"] + d["dltdump_drops"] > 0, d
