"""dltdump on Dask: a fleet's recordings as one dask DataFrame.

    import dltdump.dask
    from distributed import Client
    client = Client("tcp://scheduler:8786")            # or distributed.LocalCluster()
    ddf = dltdump.dask.read_dlt("fleet/**/*.dlt", level="warn")
    ddf.groupby(["ecu", "app"], observed=True).size().compute()

Each input is one partition, read by a worker with :func:`dltdump.read_dataframe` (the
same columns and filters), so the workers must see the inputs at the same paths (a shared
folder). The id columns are categoricals whose categories each partition finds: group by
them with ``observed=True``.
"""

from __future__ import annotations

import glob as _glob
import os as _os
from typing import Any, Sequence, Union

import dask.dataframe as _dd
from dask.dataframe.utils import clear_known_categories as _clear_known_categories

import dltdump as _dltdump

__all__ = ["read_dlt", "expand"]

Patterns = Union[str, "_os.PathLike[str]", Sequence[Union[str, "_os.PathLike[str]"]]]


def expand(paths_or_globs: Patterns) -> list[str]:
    """The inputs named: each pattern with ``*``, ``?`` or ``[`` expanded (``**`` spans
    folders), sorted; other names, and names of existing files or folders (``trip[1].dlt``),
    as they are. Raises dltdump.Error when a pattern names no file."""
    items = [paths_or_globs] if isinstance(paths_or_globs, (str, _os.PathLike)) else list(paths_or_globs)
    files: list[str] = []
    for item in items:
        name = _os.fspath(item)
        if _glob.has_magic(name) and not _os.path.exists(name):  # an existing "trip[1].dlt" is that file
            found = sorted(p for p in _glob.glob(name, recursive=True) if _os.path.isfile(p))
            if not found:
                e = _dltdump.Error(f"{name}: no file matches the pattern")
                e.kind, e.input, e.offset = "input", name, None
                raise e
            files.extend(found)
        else:
            files.append(name)
    return files


def _unwrapped(value: Any) -> Any:
    """A partition's input as from_map was given it: on an in-process cluster
    (Client(processes=False)) distributed 2022.12 hands the task a Serialize wrapper."""
    try:
        from distributed.protocol.serialize import Serialize
    except ImportError:  # no distributed: no wrapper
        return value
    return value.data if isinstance(value, Serialize) else value


def _read_partition(path: str, text: bool, filters: dict[str, Any]) -> Any:
    return _dltdump.read_dataframe(_unwrapped(path), text=text, **filters)


def read_dlt(paths_or_globs: Patterns, *, text: bool = True, **filters: Any) -> Any:
    """A dask DataFrame of the inputs' messages that pass the filters, one partition per input.

    The columns (the declared ``meta``) are read_dataframe's; filters are its keyword
    filters, checked here at once (a value that can never match raises dltdump.Error
    now). ``fibex`` must be paths (each task reads them), not a Catalogue. An input that
    fails raises dltdump.Error from compute().
    """
    if isinstance(filters.get("fibex"), _dltdump.Catalogue):
        raise TypeError("dltdump.dask.read_dlt: give fibex as paths (each worker reads them), not a Catalogue")
    _dltdump.make_filter(**filters)  # faults now, not in every task
    files = expand(paths_or_globs)
    # The schema is that of an empty read: the same code makes every partition.
    meta = _clear_known_categories(_dltdump.read_dataframe([], text=text))
    meta.attrs.clear()
    return _dd.from_map(_read_partition, files, args=[text, dict(filters)], meta=meta, label="read-dlt",
                        enforce_metadata=False)
