"""What a new user did with the module and found broken (issue #27): reads from threads,
damaged data, names the system allows, filter values the command line refuses, Ctrl-C,
Dask on an in-process cluster. Each test failed before its fix."""

import gzip
import os
import pathlib
import random
import select
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

import dltdump
from conftest import DLTDUMP, ENV, NVGEN, cli_messages, dltgen, run


def flipped(work, name, source, seed):
    """`source` with one byte in 500 set to a random value: ordinary damaged data."""
    path = os.path.join(work, name)
    if not os.path.exists(path):
        data = bytearray(pathlib.Path(source).read_bytes())
        rng = random.Random(seed)
        for k in range(0, len(data), 500):
            data[k + rng.randrange(min(500, len(data) - k))] = rng.randrange(256)
        pathlib.Path(path).write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def trip(work):
    return dltgen(work, "usage_trip.dlt", "--count", "2000", "--seed", "41")


@pytest.fixture(scope="module")
def damaged(work):
    return flipped(work, "usage_damaged.dlt", dltgen(work, "usage_big.dlt", "--count", "30000", "--seed", "42"), 1)


def python(script, **kwargs):
    """Runs `script` in a fresh interpreter (this one has numpy imported already)."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, **kwargs)


# 1: pybind11 set up its numpy API on first use; two threads doing that at once deadlocked.
def test_first_reads_from_threads_at_once_do_not_hang(work, trip):
    net = dltgen(work, "usage_net.dlt", "--count", "2000", "--format", "net", "--seed", "43")
    gz = os.path.join(work, "usage_trip.dlt.gz")
    with open(trip, "rb") as f, gzip.open(gz, "wb") as out:
        out.write(f.read())
    script = f"""
        import concurrent.futures
        import dltdump
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            print(sum(map(len, pool.map(dltdump.read_dataframe, {[trip, net, gz, trip]!r}))))
        """
    for _ in range(3):
        r = python(script, timeout=120)
        assert r.returncode == 0, r.stderr
        assert int(r.stdout) == 2 * len(cli_messages(trip)) + len(cli_messages(net)) + len(cli_messages(gz))


# 2: ids that show alike ("AP\x01" and "AP\x02" both as "AP.") made repeated categories.
def test_ids_that_show_alike_are_one_category(work, damaged):
    one = dltgen(work, "usage_ap1.dlt", "--count", "300", "--seed", "44", "--rare-app", "AP\x01")
    two = dltgen(work, "usage_ap2.dlt", "--count", "300", "--seed", "45", "--rare-app", "AP\x02")
    df = dltdump.read_dataframe([one, two])
    want = cli_messages(one, two)
    assert df["app"].astype(str).tolist() == [r["app"] for r in want]
    assert (df["app"] == "AP.").sum() == 6 and list(df["app"].cat.categories).count("AP.") == 1
    df = dltdump.read_dataframe(damaged)
    assert df["position"].tolist() == [r["position"] for r in cli_messages(damaged)]
    assert df["ecu"].astype(str).tolist() == [r["ecu"] for r in cli_messages(damaged)]


# 3: an input given twice is read twice, as the command line does, one category.
def test_an_input_given_twice(trip):
    df = dltdump.read_dataframe([trip, trip])
    assert len(df) == len(cli_messages(trip, trip)) == 2 * len(cli_messages(trip))
    assert list(df["input"].cat.categories) == [trip] and (df["input"] == trip).all()


# 10: the system's file names end at a NUL: "a.dlt\0junk" read a.dlt.
def test_a_name_with_a_nul_is_refused(trip):
    for read in (dltdump.read_dataframe, lambda p: list(dltdump.open(p))):
        with pytest.raises(dltdump.Error) as e:
            read(trip + "\0junk")
        assert e.value.kind == "input" and "\\x00junk" in str(e.value)


# 12: names os.listdir gives (undecodable bytes as surrogates), bytes and paths.
def test_names_the_system_allows(work, trip):
    folder = os.path.join(work, "usage_names")
    os.makedirs(folder, exist_ok=True)
    raw = os.path.join(os.fsencode(folder), b"bad\xff\xfe.dlt")
    with open(trip, "rb") as f, open(raw, "wb") as out:
        out.write(f.read())
    [name] = [os.path.join(folder, n) for n in os.listdir(folder)]
    want = [r["position"] for r in cli_messages(trip)]
    for given in (name, raw, pathlib.Path(name), [raw]):
        df = dltdump.read_dataframe(given)
        assert df["position"].tolist() == want
        assert list(df["input"].cat.categories) == [name]
        messages = list(dltdump.open(given))
        assert [m.position for m in messages] == want and messages[0].input == name


def assert_argument_error(**filters):
    with pytest.raises(dltdump.Error) as e:
        dltdump.open("x.dlt", **filters)
    assert e.value.kind == "argument", filters
    return str(e.value)


# 7: the command line takes session ids from -2147483648 to 4294967295; 2**40 wrapped to 0.
def test_session_ids_outside_32_bits_are_refused(trip):
    for bad in (2**40, 2**32, -2**31 - 1, 1.5, True, "x"):
        assert "sessionid" in assert_argument_error(sessionid=bad)
    sessions = {r["session"] for r in cli_messages(trip)}
    some = next(s for s in sessions if s is not None and s > 0)
    df = dltdump.read_dataframe(trip, sessionid=some)
    assert len(df) and df["position"].tolist() == dltdump.read_dataframe(trip, sessionid=str(some))["position"].tolist()
    assert len(dltdump.read_dataframe(trip, sessionid=[2**32 - 1, -2**31])) == 0


@pytest.fixture(scope="module")
def multiecu(work):
    """nvgen's multiecu catalogue (frames defined in two files: warnings without per_ecu) and log."""
    cat = os.path.join(work, "usage_cat")
    log = os.path.join(work, "usage_nv.dlt")
    if not os.path.exists(log):
        run([NVGEN, "--mode", "multiecu", "--count", "200", "--seed", "7", "--catalogue", cat, "-o", log])
    return cat, log


# 8: a Catalogue's lookup is fixed when it is read: nv_multiecu with one was ignored.
def test_lookup_options_with_a_catalogue_are_refused(multiecu):
    cat, log = multiecu
    catalogue = dltdump.Catalogue([cat])
    for option in ("nv_multiecu", "nv_noexthdr"):
        with pytest.raises(dltdump.Error) as e:
            dltdump.read_dataframe(log, fibex=catalogue, **{option: True})
        assert e.value.kind == "argument"
    per_ecu = dltdump.Catalogue([cat], per_ecu=True)
    got = dltdump.read_dataframe(log, fibex=per_ecu)["text"].tolist()
    assert got == [r["text"] for r in cli_messages("--fibex", cat, "--nv-multiecu", log)]


# 9: a string argument is its exact characters (as in the JSON records), not the line's '.'.
def test_string_arguments_are_exact(damaged):
    records = cli_messages(damaged)
    controls = 0
    for m, r in zip(dltdump.open(damaged), records):
        assert m.position == r["position"]
        if r["kind"] != "verbose":
            continue
        want = [a["value"] for a in r["args"] if a["type"] in ("string", "trace")]
        got = [a for a in m.args if isinstance(a, str)]
        assert got == want, (m, r)
        controls += sum(any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in a) for a in got)
    assert controls > 0  # the damage made some


# 14: values the command line refuses raise Error (argument), as python.md says.
def test_values_that_can_never_match(trip):
    for bad in (dict(s="a\tb"), dict(s=b"\xff"), dict(r=b"\xff"), dict(not_before=2e9, not_after=1e9),
                dict(messageid=-1), dict(messageid=2**40), dict(not_before=1e300), dict(not_before=float("nan")),
                dict(level=True)):
        assert_argument_error(**bad)
    with pytest.raises(dltdump.Error) as e:
        dltdump.read_dataframe(trip, filter=dltdump.Filter().not_before(2_000_000_000_000_000)
                               .not_after(1_000_000_000_000_000))
    assert e.value.kind == "argument"
    assert len(dltdump.read_dataframe(trip, format="FILE")) == len(cli_messages("--format", "FILE", trip))


# 18: a Filter is accepted (copied, the keywords added to the copy).
def test_a_filter_object(trip):
    base = dltdump.Filter().appid("NAV")
    df = dltdump.read_dataframe(trip, filter=base, level="warn")
    assert df["position"].tolist() == [r["position"] for r in cli_messages("--appid", "NAV", "--level", "warn", trip)]
    assert [m.position for m in dltdump.open(trip, filter=base)] == \
        [r["position"] for r in cli_messages("--appid", "NAV", trip)]
    with pytest.raises(TypeError):
        dltdump.open(trip, filter="NAV")


# 11: Ctrl-C stops a read between chunks, not after the last input.
def test_ctrl_c_stops_a_read(trip):
    # Standard input that never ends: before the fix the read waited for its end.
    script = """
        import dltdump
        try:
            print("reading", flush=True)  # in the try: the signal may come at once
            dltdump.read_dataframe("-")
        except KeyboardInterrupt:
            print("interrupted", flush=True)
        """
    data = pathlib.Path(trip).read_bytes()
    chunks = 70_000 // len(cli_messages(trip)) + 1  # more than a chunk of messages
    p = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert p.stdout.readline() == b"reading\n"
        p.send_signal(signal.SIGINT)
        try:
            for _ in range(chunks):
                p.stdin.write(data)
            p.stdin.flush()
        except BrokenPipeError:  # it stopped reading: what is wanted
            pass
        # Standard input stays open: only the interrupt can end the read.
        ready, _, _ = select.select([p.stdout], [], [], 60)
        assert ready and p.stdout.readline() == b"interrupted\n"
    finally:
        p.kill()
        p.wait()


# Ctrl-C stops a write between two steps of its input (a new user's finding: a write of
# file inputs went on to its end, and the interrupt came after it), also within a step
# whose filter passes nothing (the second finding: the step read to the input's end).
# Standard input that never ends: only the interrupt can end the write. The file ends on
# a whole line.
@pytest.mark.parametrize("filters", ["", "appid='NOPE'"])
def test_ctrl_c_stops_a_write(work, trip, filters):
    out = os.path.join(work, "interrupted.txt")
    if os.path.exists(out):
        os.remove(out)
    script = f"""
        import dltdump
        try:
            print("writing", flush=True)
            dltdump.write("-", {out!r}, {filters})
        except KeyboardInterrupt:
            print("interrupted", flush=True)
        """
    data = pathlib.Path(trip).read_bytes()
    p = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], env=ENV, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert p.stdout.readline() == b"writing\n"
        for _ in range(20):  # steps of messages before the signal
            p.stdin.write(data)
        p.stdin.flush()
        p.send_signal(signal.SIGINT)
        done, deadline = False, time.monotonic() + 60
        while not done and time.monotonic() < deadline:
            try:
                p.stdin.write(data)
                p.stdin.flush()
            except BrokenPipeError:  # it stopped reading: what is wanted
                break
            done = bool(select.select([p.stdout], [], [], 0)[0])
        ready, _, _ = select.select([p.stdout], [], [], 60)
        assert ready and p.stdout.readline() == b"interrupted\n"
    finally:
        p.kill()
        p.wait()
    if filters:
        assert not os.path.exists(out)  # nothing passed: no file, as on the command line
    else:
        written = pathlib.Path(out).read_bytes()
        assert written and written.endswith(b"\n")


# A quiet TCP peer: Ctrl-C did nothing while the reading waited for data (a new user's
# finding: the wait runs without the GIL, and nothing ran the signal handlers until data
# came). Now the wait asks every 100 ms (ReaderOptions::keep_waiting): KeyboardInterrupt.
@pytest.mark.parametrize("how", ["read_dataframe", "iteration", "write"])
def test_ctrl_c_ends_the_wait_for_a_quiet_tcp_peer(work, how):
    out = os.path.join(work, "quiet_peer.dlt")
    if os.path.exists(out):
        os.remove(out)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(30)
    uri = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    call = {"read_dataframe": f"dltdump.read_dataframe({uri!r})",
            "iteration": f"for m in dltdump.open({uri!r}): pass",
            "write": f"dltdump.write({uri!r}, {out!r})"}[how]
    p = subprocess.Popen([sys.executable, "-c", f"import dltdump\n{call}\n"], env=ENV,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peer = None
    try:
        peer, _ = server.accept()  # connected: the reading waits for data, which never comes
        time.sleep(0.5)
        sent = time.monotonic()
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=15)
        elapsed = time.monotonic() - sent
        assert b"KeyboardInterrupt" in err, err.decode(errors="replace")
        assert p.returncode != 0
        assert elapsed < 3, f"{elapsed:.2f} s after SIGINT"
    finally:
        p.kill()
        p.wait()
        if peer:
            peer.close()
        server.close()


# 16: an existing file whose name holds a "[" is that file, not a pattern.
def test_dask_takes_an_existing_name_literally(work, trip):
    dask = pytest.importorskip("dltdump.dask")
    folder = os.path.join(work, "usage_fleet")
    os.makedirs(folder, exist_ok=True)
    name = os.path.join(folder, "trip[1].dlt")
    pathlib.Path(name).write_bytes(pathlib.Path(trip).read_bytes())
    assert dask.expand(name) == [name]
    assert dask.expand(os.path.join(folder, "trip*.dlt")) == [name]  # patterns still are
    assert len(dask.read_dlt(name).compute()) == len(cli_messages(trip))


# 4: on an in-process cluster, distributed 2022.12's from_map gave each task a Serialize
# wrapper instead of its input: every partition failed.
def test_dask_on_an_in_process_cluster(trip):
    distributed = pytest.importorskip("distributed")
    dask = pytest.importorskip("dltdump.dask")
    with distributed.Client(processes=False, n_workers=1, dashboard_address=None, silence_logs=40):
        df = dask.read_dlt([trip, trip], level="warn").compute()
    want = [r["position"] for r in cli_messages("--level", "warn", trip)]
    assert df["position"].tolist() == want + want


def cli_stderr(*args):
    return subprocess.run([DLTDUMP, *args], capture_output=True, text=True, env=ENV).stderr.splitlines()


# 15: an input none of whose bytes was a message gave 0 rows silently (the command line
# warns, naming the --format that may fit); FIBEX warnings (fatal on the command line) were
# silent.
def test_inputs_that_give_nothing_and_fibex_warnings_warn(work, multiecu):
    cat, log = multiecu
    xml = os.path.join(cat, "ecu_000.xml")
    net = dltgen(work, "usage_net.dlt", "--count", "2000", "--format", "net", "--seed", "43")
    for path, filters, options in ((xml, {}, []), (net, dict(format="file"), ["--format", "file"])):
        want = cli_stderr(*options, path)
        assert len(want) == 1 and "no DLT message" in want[0]
        with pytest.warns(dltdump.InputWarning) as caught:
            assert len(dltdump.read_dataframe(path, **filters)) == 0
        assert [str(w.message) for w in caught] == want
        with pytest.warns(dltdump.InputWarning) as caught:
            assert list(dltdump.open(path, **filters)) == []
        assert [str(w.message) for w in caught] == want
    want = [line for line in cli_stderr("--fibex", cat, log) if "DuplicateEntry" in line]
    with pytest.warns(dltdump.FibexWarning) as caught:
        dltdump.read_dataframe(log, fibex=cat)
    assert want and [str(w.message) for w in caught] == want
