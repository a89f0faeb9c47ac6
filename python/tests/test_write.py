"""dltdump.write against the command line's -o: the same bytes for every output kind, the
same content for a compressed one; a full disk raises Error naming the file; the writing
releases the GIL."""

import gzip
import os
import subprocess
import threading
import time

import pytest

import dltdump
from conftest import DLTDUMP, dltgen, run


@pytest.fixture(scope="module")
def mixed(work):
    return dltgen(work, "mixed.dlt", "--count", "3000", "--seed", "27")


@pytest.fixture(scope="module")
def network(work):
    return dltgen(work, "net.bin", "--format", "net", "--count", "1500", "--seed", "29")


def both(work, inputs, name, cli_options=(), **kwargs):
    """The file dltdump.write makes and the one the command line makes, named `name` in
    folders of their own (JSON and CSV records name the inputs, the same files)."""
    paths = []
    for side in ("api", "cli"):
        folder = os.path.join(work, side)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, name)
        if os.path.exists(path):
            os.remove(path)
        paths.append(path)
    api, cli = paths
    n = dltdump.write(inputs, api, **kwargs)
    run([DLTDUMP, *cli_options, *inputs, "-o", cli])
    return n, api, cli


def read(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("name", ["x.dlt", "x.pcapng", "x.txt", "x.jsonl", "x.csv"])
def test_every_kind_is_the_command_lines(work, mixed, network, name):
    n, api, cli = both(work, [mixed, network], name)
    assert n == 4500
    assert read(api) == read(cli)


def test_filters_and_out(work, mixed):
    n, api, cli = both(work, [mixed], "warn.log", ["--out=csv", "--level=warn"], out="csv", level="warn")
    assert 0 < n < 3000
    assert read(api) == read(cli)
    assert read(api).startswith(b"record,")  # CSV's header row


@pytest.mark.parametrize("time", ["local", "utc", "ISO", "relative", "device"])
@pytest.mark.parametrize("position", [False, True])
def test_time_and_position_of_text_lines(work, mixed, network, time, position):
    cli = [f"--time={time}"] + (["--position"] if position else [])
    n, api, cli = both(work, [mixed, network], "t.txt", cli, time=time, position=position)
    assert n == 4500
    assert read(api) == read(cli)


def test_time_and_position_refused_for_records(work, mixed):
    for name, kwargs in (("x.jsonl", {"time": "utc"}), ("x.dlt", {"position": True})):
        with pytest.raises(dltdump.Error) as e:
            dltdump.write([mixed], os.path.join(work, name), **kwargs)
        assert e.value.kind == "argument" and "a choice of text lines" in str(e.value)
    with pytest.raises(dltdump.Error, match="none of local, utc"):
        dltdump.write([mixed], os.path.join(work, "y.txt"), time="gmt")
    assert not os.path.exists(os.path.join(work, "y.txt"))


@pytest.mark.parametrize("name", ["d.dlt", "d.txt", "d.jsonl", "d.csv"])
def test_a_damaged_inputs_skipped_regions_are_the_command_lines(work, name):
    # Regions that are no message are written where -o writes them (SKIP lines and records).
    damaged = dltgen(work, "damaged.dlt", "--count", "2000", "--seed", "43", "--corrupt", "3", "--truncate")
    n, api, cli = both(work, [damaged], name)
    assert 0 < n < 2000
    assert read(api) == read(cli)
    if name == "d.txt":
        assert b" SKIP " in read(api)


def test_compressed(work, mixed):
    n, api, cli = both(work, [mixed], "x.dlt.gz")
    assert n == 3000
    assert gzip.decompress(read(api)) == gzip.decompress(read(cli)) == read(mixed)


@pytest.mark.parametrize("name", ["j.dlt.zst", "j.txt.gz", "j.jsonl.xz"])
def test_several_inputs_compressed_are_the_command_lines_bytes(work, mixed, network, name):
    # A frame ends at each input's end, as on the command line (a new user's finding: the
    # frames of write() ran on over the inputs); a compressed input adds none of its own.
    packed = os.path.join(work, "mixed.dlt.gz")
    with open(packed, "wb") as f:
        f.write(gzip.compress(read(mixed)))
    n, api, cli = both(work, [mixed, network, packed], name)
    assert n == 7500
    assert read(api) == read(cli)


def test_refusals(work, mixed):
    with pytest.raises(dltdump.Error) as e:
        dltdump.write(mixed, os.path.join(work, "x.pcap"))
    assert e.value.kind == "argument"
    with pytest.raises(dltdump.Error) as e:
        dltdump.write(mixed, os.path.join(work, "x.dlt"), out="json")
    assert e.value.kind == "argument"
    with pytest.raises(dltdump.Error) as e:
        dltdump.write(mixed, os.path.join(work, "x.txt"), out="xml")
    assert e.value.kind == "argument"
    with pytest.raises(dltdump.Error) as e:  # an input: refused as -o refuses it
        dltdump.write(mixed, mixed)
    assert e.value.kind == "output" and "Not overwriting the input file" in str(e.value)
    exists = os.path.join(work, "exists.txt")
    with open(exists, "w") as f:
        f.write("x")
    with pytest.raises(dltdump.Error) as e:  # exists: overwrite=True (-f) truncates it
        dltdump.write(mixed, exists)
    assert e.value.kind == "output" and "already exists" in str(e.value)


@pytest.mark.parametrize("name", ["%FILE%_%CTR%.dlt", "%FILE%-%CTR%.jsonl", "part_%CTR%.txt"])
def test_a_template_and_a_split_are_the_command_lines_files(work, mixed, network, name):
    # template=True: output is an -o template; split: --split. The same files, the same bytes.
    folders = {}
    for side in ("api", "cli"):
        folders[side] = os.path.join(work, "split-" + side)
        if os.path.exists(folders[side]):
            for f in os.listdir(folders[side]):
                os.remove(os.path.join(folders[side], f))
        os.makedirs(folders[side], exist_ok=True)
    n = dltdump.write([mixed, network], os.path.join(folders["api"], name), template=True, split=70000)
    run([DLTDUMP, mixed, network, "-o", os.path.join(folders["cli"], name), "--split", "70000"])
    assert n == 4500
    made, expected = sorted(os.listdir(folders["api"])), sorted(os.listdir(folders["cli"]))
    assert made == expected and len(made) > 3
    for f in made:
        assert read(os.path.join(folders["api"], f)) == read(os.path.join(folders["cli"], f)), f


def test_template_refusals(work, mixed):
    # Without template=True a % is a character of the name; a split needs a template naming a
    # series; %LC% needs --sort.
    literal = os.path.join(work, "lit_%CTR%.txt")
    if os.path.exists(literal):
        os.remove(literal)
    assert dltdump.write(mixed, literal) == 3000 and os.path.exists(literal)
    for kwargs, words in [({"template": True, "split": 70000}, "%CTR%"), ({"split": 70000}, "name template"),
                          ({"template": True, "split": 1000}, "65536"), ({"split": "100M"}, "split must be"),
                          ({"split": True}, "split must be")]:
        with pytest.raises(dltdump.Error) as e:
            dltdump.write(mixed, os.path.join(work, "one.txt"), **kwargs)
        assert e.value.kind == "argument" and words in str(e.value), (kwargs, str(e.value))
    with pytest.raises(dltdump.Error) as e:
        dltdump.write(mixed, os.path.join(work, "trip_%LC%.dlt"), template=True)
    assert e.value.kind == "argument" and "%LC%" in str(e.value)


def test_an_input_given_twice_is_refused_and_the_others_written(work, mixed, network):
    # With %FILE% an input given twice would write over its file: refused, as the command
    # line refuses it, and, as the command line, the inputs after it are written (the error
    # is raised once they are).
    files = {}
    for side in ("api", "cli"):
        folder = os.path.join(work, "twice-" + side)
        if os.path.isdir(folder):
            for f in os.listdir(folder):
                os.remove(os.path.join(folder, f))
        os.makedirs(folder, exist_ok=True)
        files[side] = folder
    with pytest.raises(dltdump.Error) as e:
        dltdump.write([mixed, mixed, network], os.path.join(files["api"], "%FILE%.dlt"), template=True)
    assert e.value.kind == "output" and "Not overwriting previously created file" in str(e.value)
    code = subprocess.run([DLTDUMP, mixed, mixed, network, "-o", os.path.join(files["cli"], "%FILE%.dlt")],
                          capture_output=True).returncode
    assert code == 4
    assert sorted(os.listdir(files["api"])) == sorted(os.listdir(files["cli"])) == ["mixed.dlt", "net.dlt"]
    for name in os.listdir(files["cli"]):
        assert read(os.path.join(files["api"], name)) == read(os.path.join(files["cli"], name))


@pytest.mark.parametrize("name", ["CON:", "con:", "/dev/stdout", "/DEV/STDOUT"])
def test_console_names_are_refused(mixed, name, capfd):
    # A new user's finding: write(x, "CON:") printed to this process's standard output (the
    # command line's console name leaking into the library). Refused, saying what to do.
    with pytest.raises(dltdump.Error) as e:
        dltdump.write(mixed, name)
    assert e.value.kind == "argument"
    assert "console" in str(e.value) and "m.text" in str(e.value) and "read_dataframe" in str(e.value)
    assert capfd.readouterr().out == ""


def test_never_over_an_input_nor_reading_its_own_output(work, mixed):
    # A new user's findings: overwrite=True wrote over the input being read (it was cut),
    # and a later input that was the file being written was read back.
    victim = os.path.join(work, "victim.dlt")
    with open(mixed, "rb") as f, open(victim, "wb") as g:
        g.write(f.read())
    before = read(victim)
    link = os.path.join(work, "victim-link.dlt")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(victim, link)
    for output in (victim, link):
        with pytest.raises(dltdump.Error) as e:
            dltdump.write(victim, output, overwrite=True)
        assert e.value.kind == "output" and "Not overwriting the input file" in str(e.value), str(e.value)
        assert read(victim) == before
    own = os.path.join(work, "own.dlt")
    if os.path.exists(own):
        os.remove(own)
    with pytest.raises(dltdump.Error) as e:
        dltdump.write([mixed, own], own)
    assert e.value.kind == "input" and e.value.input == own and "output file" in str(e.value)


def test_a_full_disk_is_an_error_naming_the_file(work, mixed):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with pytest.raises(dltdump.Error) as e:
        dltdump.write(mixed, "/dev/full", overwrite=True)
    assert e.value.kind == "output"
    assert e.value.input == "/dev/full"
    assert "/dev/full" in str(e.value)


def test_writing_releases_the_gil(work):
    big = dltgen(work, "big.dlt", "--count", "300000", "--seed", "5")
    out = os.path.join(work, "big.jsonl")
    if os.path.exists(out):
        os.remove(out)
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        start = time.monotonic()
        # The C++ call alone: the thread ticks during it only if it lets go of the GIL.
        n = dltdump._dltdump.write([big], out, dltdump.Filter(), None, dltdump.Format.automatic, "", False)
        end = time.monotonic()
    finally:
        done.set()
        t.join()
    assert n == 300000
    during = [x for x in ticks if start < x < end]
    # The other thread ran while the file was written (with the GIL held it could not).
    assert len(during) >= 5, (len(during), end - start)
