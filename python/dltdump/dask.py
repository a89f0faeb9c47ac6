"""dltdump on Dask: a fleet's recordings as one dask DataFrame.

    import dltdump.dask
    from distributed import Client
    client = Client("tcp://scheduler:8786")            # or distributed.LocalCluster()
    ddf = dltdump.dask.read_dlt("fleet/**/*.dlt", level="warn")
    ddf.groupby(["ecu", "app"], observed=True).size().compute()

Each input is one partition, or, for a large plain DLT file, one per chunk of about
``chunk_size`` bytes, cut where dltdump's parallel decoder cuts it
(:func:`dltdump.chunk_points`). A partition is read by a worker with
:func:`dltdump.read_dataframe` (the same columns and filters), so the workers must see the
inputs at the same paths (a shared folder). The id columns are categoricals whose
categories each partition finds: group by them with ``observed=True``.
"""

from __future__ import annotations

import functools as _functools
import glob as _glob
import os as _os
from typing import Any, Sequence, Union

from dask.base import tokenize as _tokenize
from dask.dataframe.core import new_dd_object as _new_dd_object
from dask.dataframe.utils import clear_known_categories as _clear_known_categories
from dask.highlevelgraph import HighLevelGraph as _HighLevelGraph

import dltdump as _dltdump

__all__ = ["read_dlt", "expand", "DEFAULT_CHUNK_SIZE"]

Patterns = Union[str, "_os.PathLike[str]", Sequence[Union[str, "_os.PathLike[str]"]]]

#: read_dlt's chunk size: a partition of tens of MiB of DLT is a few hundred thousand rows.
DEFAULT_CHUNK_SIZE = 64 << 20


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
                # Bytes: a name that is no UTF-8 (surrogate escapes) is shown as \xHH.
                raw = name.encode("utf-8", "surrogateescape")
                e = _dltdump._dltdump.error("input", raw, raw + b": no file matches the pattern")
                e.input = name  # as given
                raise e
            files.extend(found)
        else:
            files.append(name)
    return files


def _read_partition(path: str, text: bool, filters: dict[str, Any]) -> Any:
    return _dltdump.read_dataframe(path, text=text, **filters)


def _read_chunk(path: str, begin: int, chunk_size: int, text: bool, filters: dict[str, Any]) -> Any:
    """The chunk's read from `begin` on; df.attrs["chunk_end"] is where it ended."""
    return _dltdump.read_dataframe(path, text=text, chunk=(begin, chunk_size), **filters)


def _settle(read: Any, begin: int, reached: int) -> Any:
    """A chunk's partition: its read if the file's reading came to its begin (`reached`,
    where it came after the chunks before); if the chunk before read on over a packet that
    straddled this chunk's begin, the chunk is no part of the file's read: empty."""
    return read if reached == begin else read.iloc[:0]


def _reached(read: Any, begin: int, reached: int | None) -> int:
    """Where the file's reading has come after this chunk (`reached`: after the ones before;
    None for the first chunk): the chunk's end if it is part of the read, else as before."""
    return read.attrs["chunk_end"] if reached is None or reached == begin else reached


def _chunk_tasks(dsk: dict, name: str, first: int, points: list[int], read: Any) -> int:
    """Puts the tasks of a chunked file's partitions (name, first), (name, first + 1), ...
    into `dsk`; returns how many. Every chunk is read at once, in parallel (`read`: a
    function of the begin); a chain of small tasks carrying only where the reading came
    keeps the chunks the file's read goes through (nearly always all of them). A chunk's
    read is its partition when it is the file's first (no task more), else one task settles
    it: two tasks a chunk, and one for the chain, where dask.delayed made four and a half."""
    reached = None
    for k, begin in enumerate(points[:-1]):
        part = (name, first + k)
        chunk = part if k == 0 else (name + "-chunk", first + k)
        dsk[chunk] = (read, begin)
        if k > 0:
            dsk[part] = (_settle, chunk, begin, reached)
        if k < len(points) - 2:  # a chunk follows: where the reading came
            dsk[(name + "-reached", first + k)] = (_reached, chunk, begin, reached)
            reached = (name + "-reached", first + k)
    return len(points) - 1


def _points(path: str, chunk_size: int | None, fmt: str) -> list[int]:
    if not chunk_size:
        return []
    try:
        return _dltdump.chunk_points(path, chunk_size, format=fmt)
    except _dltdump.Error:
        return []  # read whole: its task raises the input's error from compute()


def read_dlt(paths_or_globs: Patterns, *, text: bool = True, chunk_size: int | None = DEFAULT_CHUNK_SIZE,
             **filters: Any) -> Any:
    """A dask DataFrame of the inputs' messages that pass the filters: the inputs in order,
    each in file order.

    One partition per input; a plain DLT file (uncompressed, not a recording, capture or
    archive) larger than ``chunk_size`` bytes is one partition per chunk of about that
    size, cut where the command line's parallel decoder cuts it (``chunk_size`` None or 0:
    one partition per input). The chunks' partitions together hold exactly the whole
    file's read. The columns (the declared ``meta``) are read_dataframe's; filters are its
    keyword filters, checked here at once (a value that can never match raises
    dltdump.Error now). ``fibex`` must be paths (each task reads them), not a Catalogue.
    The files are looked at here (their cuts); an input that fails raises dltdump.Error
    from compute().
    """
    if isinstance(filters.get("fibex"), _dltdump.Catalogue):
        raise TypeError("dltdump.dask.read_dlt: give fibex as paths (each worker reads them), not a Catalogue")
    if chunk_size is not None and chunk_size < 0:
        raise ValueError(f"dltdump.dask.read_dlt: chunk_size {chunk_size} is negative")
    _dltdump.make_filter(**filters)  # faults now, not in every task
    fmt = filters.get("format") or "auto"
    files = expand(paths_or_globs)
    # The schema is that of an empty read: the same code makes every partition.
    meta = _clear_known_categories(_dltdump.read_dataframe([], text=text))
    meta.attrs.clear()
    # The graph is written out (as dask.dataframe's own readers do), a task per partition
    # and not a delayed object wrapped by from_delayed: each task costs the scheduler's
    # work, milliseconds on a small machine, which a fleet of chunked files pays for every
    # chunk (docs/PERFORMANCE.md, Dask).
    name = "read-dlt-" + _tokenize(files, text, chunk_size, sorted(filters.items(), key=str))
    dsk: dict = {}
    n = 0
    for path in files:
        points = _points(path, chunk_size, fmt)
        if len(points) > 2:
            read = _functools.partial(_read_chunk, path, chunk_size=int(chunk_size or 0), text=text,
                                      filters=dict(filters))
            n += _chunk_tasks(dsk, name, n, points, read)
        else:
            dsk[(name, n)] = (_functools.partial(_read_partition, path, text, dict(filters)),)
            n += 1
    graph = _HighLevelGraph.from_collections(name, dsk, dependencies=[])
    return _new_dd_object(graph, name, meta, [None] * (n + 1))
