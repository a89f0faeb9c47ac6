#!/usr/bin/python3
"""Errors per ECU, application and day over a folder of recordings, on a Dask cluster, to CSV.

    fleet_errors.py SCHEDULER 'recordings/**/*.dlt' errors.csv   # SCHEDULER: tcp://host:8786
    fleet_errors.py local 'recordings/**/*.dlt' errors.csv       # a LocalCluster on this machine

Each recording is one task, a large DLT file one per 64 MiB chunk (dltdump.dask.read_dlt);
the workers must see the files at the same paths. The CSV has the columns day, ecu, app, errors (fatal and error messages).
"""

import sys

import distributed

import dltdump.dask


def main(scheduler: str, pattern: str, out: str) -> None:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1) if scheduler == "local" else None
    with distributed.Client(cluster or scheduler):
        ddf = dltdump.dask.read_dlt(pattern, level="error", text=False)  # fatal and error
        ddf = ddf.assign(day=ddf.time.dt.floor("D"))
        errors = ddf.groupby(["day", "ecu", "app"], observed=True).size().rename("errors")
        table = errors.compute().reset_index().astype({"ecu": str, "app": str})
        table.sort_values(["day", "ecu", "app"]).to_csv(out, index=False)
    if cluster:
        cluster.close()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
