"""What a new user did with the module and found broken (issue #27): reads from threads,
damaged data, names the system allows, filter values the command line refuses, Ctrl-C,
Dask on an in-process cluster. Each test failed before its fix."""

import gzip
import os
import pathlib
import random
import select
import signal
import subprocess
import sys
import textwrap

import pytest

import dltdump
from conftest import NVGEN, cli_messages, dltgen, run


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
