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

import glob as _glob
import os as _os
from typing import Any, Sequence, Union

import dask as _dask
import dask.dataframe as _dd
from dask.dataframe.utils import clear_known_categories as _clear_known_categories

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


def _read_chunk(path: str, begin: int, chunk_size: int, text: bool, filters: dict[str, Any]) -> tuple[Any, int]:
    df = _dltdump.read_dataframe(path, text=text, chunk=(begin, chunk_size), **filters)
    return df, df.attrs["chunk_end"]


def _settle(read: tuple[Any, int], begin: int, reached: int | None) -> tuple[Any, int]:
    """A chunk's partition and where the file's reading has come after it. `reached` is
    where it had come before (None for the first chunk): the chunk is the file's from its
    begin on if that is where the reading came; if the chunk before read on over a packet
    that straddled this chunk's begin, the chunk is no part of the file's read and its
    partition is empty."""
    df, end = read
    if reached is None or reached == begin:
        return df, end
    return df.iloc[:0], reached


def _chunk_partitions(path: str, points: list[int], chunk_size: int, text: bool, filters: dict[str, Any]) -> list[Any]:
    # Every chunk is read at once, in parallel; a chain of small tasks, each waiting for the
    # one before, keeps the chunks the file's read goes through (nearly always all of them).
    parts = []
    reached = None
    for begin in points[:-1]:
        read = _dask.delayed(_read_chunk, pure=True)(path, begin, chunk_size, text, filters)
        df, reached = _dask.delayed(_settle, nout=2, pure=True)(read, begin, reached)
        parts.append(df)
    return parts


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
    parts: list[Any] = []
    for path in files:
        points = _points(path, chunk_size, fmt)
        if len(points) > 2:
            parts.extend(_chunk_partitions(path, points, int(chunk_size or 0), text, dict(filters)))
        else:
            parts.append(_dask.delayed(_read_partition, pure=True)(path, text, dict(filters)))
    return _dd.from_delayed(parts, meta=meta, prefix="read-dlt", verify_meta=False)
