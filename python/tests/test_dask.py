"""dltdump.dask on a distributed LocalCluster of 2 worker processes over a generated fleet
folder: per-ECU error counts equal the command line's --stats=json for the same files."""

import collections
import os

import pytest

import dltdump
import dltdump.dask
from conftest import cli_messages, cli_stats, dltgen


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
