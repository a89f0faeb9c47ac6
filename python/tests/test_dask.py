"""dltdump.dask on a distributed LocalCluster of 2 worker processes over a generated fleet
folder: per-ECU error counts equal the command line's --stats=json for the same files."""

import collections
import os

import pytest

import dltdump
import dltdump.dask
from conftest import DLTDUMP, cli_messages, cli_stats, dltgen, run

# The chunk tests compute with the synchronous scheduler while the module's LocalCluster
# client may be up: dask's warning about it is expected.
pytestmark = pytest.mark.filterwarnings("ignore:Running on a single-machine scheduler")


@pytest.fixture(scope="module")
def fleet(work):
    """A folder of recordings: DLT files of different seeds and sizes, one in a sub-folder."""
    folder = os.path.join(work, "fleet")
    os.makedirs(os.path.join(folder, "car2"), exist_ok=True)
    files = []
    for k, seed in enumerate((101, 102, 103, 104, 105)):
        name = os.path.join("car2" if k == 4 else "", f"trip{k}.dlt")
        files.append(dltgen(folder, name, "--count", str(3000 + 500 * k), "--seed", str(seed)))
    return folder, sorted(files)


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as c:
        yield c


def stats_errors_per_ecu(files):
    """Error-level messages per ECU as --stats=json reports them (its contexts' levels)."""
    counts = collections.Counter()
    for c in cli_stats(*files)["contexts"]:
        counts[c["ecu"]] += c["levels"]["error"]
    return {ecu: n for ecu, n in counts.items() if n}


def test_read_dlt_schema_and_partitions(fleet):
    folder, files = fleet
    ddf = dltdump.dask.read_dlt(os.path.join(folder, "**", "*.dlt"))
    assert ddf.npartitions == len(files)
    empty = dltdump.read_dataframe([])
    assert list(ddf.columns) == list(empty.columns)
    assert [str(t) for t in ddf.dtypes] == [str(t) for t in empty.dtypes]
    with pytest.raises(dltdump.Error):
        dltdump.dask.read_dlt(os.path.join(folder, "*.nosuch"))
    with pytest.raises(dltdump.Error) as e:  # a pattern's control bytes shown as the command line shows them
        dltdump.dask.read_dlt(os.path.join(folder, "\x1b[2J*.nosuch"))
    assert "\x1b" not in str(e.value) and "\\x1B[2J*.nosuch: no file matches" in str(e.value)
    assert e.value.kind == "input" and e.value.input == os.path.join(folder, "\x1b[2J*.nosuch")
    with pytest.raises(dltdump.Error):
        dltdump.dask.read_dlt(files, appid="TOOLONG")


def test_errors_per_ecu_on_two_worker_processes(fleet, client):
    folder, files = fleet
    want = stats_errors_per_ecu(files)
    assert len(want) >= 2
    assert len(client.scheduler_info()["workers"]) == 2

    ddf = dltdump.dask.read_dlt([os.path.join(folder, "*.dlt"), os.path.join(folder, "car2", "*.dlt")], text=False)
    by_level = ddf[ddf.level == 2].groupby("ecu", observed=True).size().compute()
    assert {str(k): int(v) for k, v in by_level.items() if v} == want

    errors = dltdump.dask.read_dlt(os.path.join(folder, "**", "*.dlt"), type="error")
    by_type = errors.groupby("ecu", observed=True).size().compute()
    assert {str(k): int(v) for k, v in by_type.items() if v} == want

    # Every partition ran on a worker: the same rows as one read_dataframe here.
    total = errors.map_partitions(len).compute().sum()
    assert total == sum(want.values()) == len(cli_messages("--type", "error", *files))


# ---- chunks of large DLT files (issue #27: one partition per verified chunk) ----

@pytest.fixture(scope="module")
def chunk_inputs(work):
    """A plain dltgen file; one whose payloads log whole DLT records with a marker after them
    (false verified starts: packets straddle cuts) and with garbage and a truncated end; and
    a recording: a network recording written as a DLT file by the command line."""
    plain = dltgen(work, "chunk_plain.dlt", "--count", "4000", "--seed", "201")
    expect = os.path.join(work, "chunk_nested.txt")
    nested = dltgen(work, "chunk_nested.dlt", "--count", "4000", "--seed", "202", "--nested", "15", "--corrupt", "5",
                    "--truncate", "--expect", expect)
    net = dltgen(work, "chunk_net.bin", "--format", "net", "--count", "3000", "--seed", "203")
    recording = os.path.join(work, "chunk_recording.dlt")
    if not os.path.exists(recording):
        run([DLTDUMP, "--format=net", net, "-o", recording])
    # For chunks of one packet each (a partition per message): a small one.
    small = dltgen(work, "chunk_small.dlt", "--count", "300", "--seed", "205", "--nested", "30", "--corrupt", "5")
    return {"plain": plain, "nested": nested, "recording": recording, "net": net, "nested_expect": expect,
            "small": small}


def comparable(df):
    """`df` with a fresh index and its categoricals as their values (each partition has
    categories of its own)."""
    df = df.reset_index(drop=True)
    for column in df.columns:
        if str(df[column].dtype) == "category":
            df[column] = df[column].astype(object)
    return df


def assert_same_rows(got, want):
    import pandas as pd
    assert len(got) == len(want)
    pd.testing.assert_frame_equal(comparable(got), comparable(want))


def chunk_ends(path, size):
    """Where each chunk's reading ends, read one by one."""
    points = dltdump.chunk_points(path, size)
    return points, [dltdump.read_dataframe(path, chunk=(b, size), text=False).attrs["chunk_end"] for b in points[:-1]]


def test_the_nested_file_is_what_dltgen_says(chunk_inputs):
    # The generator's truth for its new option: the command line's text equals it.
    with open(chunk_inputs["nested_expect"]) as f:
        assert run([DLTDUMP, chunk_inputs["nested"]]) == f.read()


def test_chunk_points(chunk_inputs):
    path = chunk_inputs["plain"]
    size = os.path.getsize(path)
    points = dltdump.chunk_points(path, 10000)
    assert points[0] == 0 and points[-1] == size and len(points) > 10
    assert all(a < b for a, b in zip(points, points[1:]))
    assert all(b >= 10000 * k for k, b in enumerate(points[:-1]))
    assert dltdump.chunk_points(path, size) == [0, size]
    assert dltdump.chunk_points(path, 0) == []
    assert dltdump.chunk_points(chunk_inputs["net"], 1000) == []  # a network recording is read whole
    assert dltdump.chunk_points(path, 1000, format="net") == []
    with pytest.raises(dltdump.Error) as e:
        dltdump.chunk_points(path + ".missing", 1000)
    assert e.value.kind == "input"
    with pytest.raises(dltdump.Error) as e:
        dltdump.read_dataframe(path, chunk=(points[1] + 1, 10000))
    assert e.value.kind == "argument" and "no chunk start" in str(e.value)
    with pytest.raises(dltdump.Error) as e:
        dltdump.read_dataframe(chunk_inputs["net"], chunk=(0, 10000))
    assert e.value.kind == "argument"
    with pytest.raises(TypeError):
        dltdump.read_dataframe([path, path], chunk=(0, 10000))


@pytest.mark.parametrize("name,size", [(name, size) for name in ("plain", "nested", "recording")
                                       for size in (2000, 30000, 1 << 40)] + [("small", 1)])
def test_chunk_partitions_equal_the_whole_read(chunk_inputs, name, size):
    path = chunk_inputs[name]  # "small": one packet per chunk, a partition per message
    points = dltdump.chunk_points(path, size)
    ddf = dltdump.dask.read_dlt(path, chunk_size=size)
    assert ddf.npartitions == max(len(points) - 1, 1)
    assert ddf.npartitions > (100 if size <= 2000 else 1 if size == 30000 else 0)
    assert ddf.npartitions == 1 or size < os.path.getsize(path)
    assert_same_rows(ddf.compute(scheduler="sync"), dltdump.read_dataframe(path))
    # Filters apply to every chunk.
    filtered = dltdump.dask.read_dlt(path, chunk_size=size, appid=["NAV", "DIAG"], level="warn", text=False)
    want = dltdump.read_dataframe(path, appid=["NAV", "DIAG"], level="warn", text=False)
    assert len(want) > 20
    assert_same_rows(filtered.compute(scheduler="sync"), want)


@pytest.mark.parametrize("size", [1, 2000, 30000])
def test_the_chain_of_chunks_is_the_whole_read(chunk_inputs, size):
    """The chunks read one by one and chained (each begins where the one before ended): the
    same rows and skipped bytes as the whole read; in the nested file, packets straddle some
    cuts, so some chunks are passed over."""
    path = chunk_inputs["small" if size == 1 else "nested"]
    whole = dltdump.read_dataframe(path)
    points, ends = chunk_ends(path, size)
    frames, skipped, at = [], 0, 0
    for begin, end in zip(points, ends):
        if begin < at:
            continue
        assert begin == at
        df = dltdump.read_dataframe(path, chunk=(begin, size))
        frames.append(df)
        skipped += df.attrs["skipped_bytes"]
        at = end
    assert at == points[-1]
    import pandas as pd
    assert_same_rows(pd.concat(frames), whole)
    assert skipped == whole.attrs["skipped_bytes"] > 0
    if size <= 2000:
        assert any(e > nxt for e, nxt in zip(ends, points[1:])), "no cut straddled: the chain is not tested"


def test_a_straddled_chunk_kept_would_duplicate_messages(chunk_inputs, monkeypatch):
    # What the comparisons above catch: every chunk kept as read (no chain) repeats the
    # messages the chunk before read on to past a straddled cut.
    path, size = chunk_inputs["nested"], 2000
    monkeypatch.setattr(dltdump.dask, "_settle", lambda read, begin, reached: read)
    got = dltdump.dask.read_dlt(path, chunk_size=size).compute(scheduler="sync")
    assert len(got) != len(dltdump.read_dataframe(path))


def test_inputs_not_cut_are_one_partition(chunk_inputs, work):
    import gzip
    gz = os.path.join(work, "chunk_plain.dlt.gz")
    with open(chunk_inputs["plain"], "rb") as f, gzip.open(gz, "wb") as out:
        out.write(f.read())
    ser = dltgen(work, "chunk_ser.bin", "--format", "ser", "--count", "2000", "--seed", "204")
    for path in (gz, ser, chunk_inputs["net"]):
        assert dltdump.chunk_points(path, 1000) == []
        ddf = dltdump.dask.read_dlt(path, chunk_size=1000)
        assert ddf.npartitions == 1
        assert_same_rows(ddf.compute(scheduler="sync"), dltdump.read_dataframe(path))
    # None or 0: one partition per input, whatever its size.
    assert dltdump.dask.read_dlt(chunk_inputs["plain"], chunk_size=None).npartitions == 1
    assert dltdump.dask.read_dlt(chunk_inputs["plain"], chunk_size=0).npartitions == 1


def test_chunks_in_input_order_on_two_worker_processes(chunk_inputs, client):
    # An input named twice is read twice.
    files = [chunk_inputs["nested"], chunk_inputs["plain"], chunk_inputs["recording"], chunk_inputs["nested"]]
    ddf = dltdump.dask.read_dlt(files, chunk_size=5000)
    assert ddf.npartitions == sum(len(dltdump.chunk_points(p, 5000)) - 1 for p in files)
    assert_same_rows(ddf.compute(), dltdump.read_dataframe(files))
    errors = dltdump.dask.read_dlt(files, chunk_size=5000, type="error").groupby("ecu", observed=True).size().compute()
    want = collections.Counter(m["ecu"] for m in cli_messages("--type", "error", *files))
    assert {str(k): int(v) for k, v in errors.items() if v} == dict(want)
