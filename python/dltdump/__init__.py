"""Read AUTOSAR DLT logs and captures with dltdump's decoder.

    import dltdump
    for m in dltdump.open("trip.dlt", appid="NAV", level="warn"):
        print(m.time, m.ecu, m.app, m.text)
    df = dltdump.read_dataframe(["a.dlt", "b.pcapng"], type="error", fibex="ecu1.xml")

Inputs are what the command line reads: DLT files, serial and network recordings, PCAP and
PCAP-NG captures (told apart by content, or ``format=``), compressed ones too, ``-`` for
standard input, ``file://`` URIs, and live inputs — ``tcp://host[:port]``,
``udp://addr[:port][?bindto=ip]``, ``ser:port,baud,…`` — read as they arrive (each step
waits without the GIL) until the stream ends or ``cancel()`` of what :func:`open` returns
is called from another thread.

Filters are keyword arguments named as the command line's options; a value may be one
value or a list of them (any of them matches), and every filter given must match:

=====================================  ===================================================
``ecuid``, ``appid``, ``ctxid``        ids (``--ecuid``, …); ``not_ecuid``, ``not_appid``,
                                       ``not_ctxid`` exclude
``sessionid``                          session ids (signed or unsigned 32-bit)
``level``                              ``"warn"`` (or 3): that level or a more severe one
``type``, ``not_type``                 ``--type`` names (``"error"``, ``"can"``,
                                       ``"request"``, …) or MSIN numbers (48 = warn)
``kind``                               ``"verbose"``, ``"non-verbose"``, ``"control"``;
                                       also ``verbose=True``, ``nonverbose=True``,
                                       ``control=True``
``messageid`` (``msgid``)              non-verbose message ids
``not_before``, ``not_after``          inclusive times: a ``datetime`` (naive: UTC) or
                                       seconds since 1970 (int or float)
``s`` (``search``), ``r`` (``regex``)  the text contains / a PCRE2 pattern is found in it;
                                       ``i`` (``ignore_case``) for both
``v`` (``invert``)                     the messages the filters do not select
``fibex``                              FIBEX files or folders (or a :class:`Catalogue`)
                                       describing non-verbose messages; with
                                       ``nv_multiecu=True``, ``nv_noexthdr=True``
``format``                             ``"auto"``, ``"file"``, ``"ser"``, ``"net"``, ``"pcap"``
                                       (any case)
``filter``                             a :class:`Filter` to start from (copied)
=====================================  ===================================================

The filtering is the command line's own (the C++ ``dltdump::Filter``), run in C++.
Everything dltdump finds wrong raises :class:`Error`; an unknown keyword raises TypeError.
"""

from __future__ import annotations

import datetime as _datetime
import math as _math
import operator as _operator
import os as _os
import warnings as _warnings
from typing import Any, Iterable, Iterator, Mapping, Sequence, Union

from ._dltdump import Catalogue, Error, Filter, Format, Message, Messages, version
from . import _dltdump

__all__ = ["open", "Reading", "read_dataframe", "write", "chunk_points", "make_filter", "Catalogue", "Error", "Filter", "Message",
           "InputWarning", "FibexWarning", "LEVELS", "version"]
__version__ = version()

PathLike = Union[str, bytes, "_os.PathLike[str]", "_os.PathLike[bytes]"]
Paths = Union[PathLike, Sequence[PathLike]]

#: Level names by code (Message.level, the DataFrame's ``level`` column); 0: no level.
LEVELS = ("", "fatal", "error", "warn", "info", "debug", "verbose")

_FORMATS = {
    "auto": Format.automatic, "automatic": Format.automatic, "file": Format.file,
    "ser": Format.serial, "serial": Format.serial, "net": Format.network, "network": Format.network,
    "pcap": Format.capture, "pcapng": Format.capture, "capture": Format.capture,
}
_KINDS = {"verbose": "verbose", "non-verbose": "non-verbose", "nonverbose": "non-verbose", "control": "control"}
_ALIASES = {
    "sessionid": "session", "msgid": "messageid", "message_id": "messageid", "search": "s", "string": "s",
    "contains": "s", "regex": "r", "ignore_case": "i", "ignorecase": "i", "invert": "v", "invert_match": "v",
    "nonverbose": "non_verbose",
}


class InputWarning(UserWarning):
    """The command line's warning about an input that gave no message: none of its bytes was
    one (an XML file, a capture read as a DLT file); the line names the --format that may fit."""


class FibexWarning(UserWarning):
    """A warning of the FIBEX files given as ``fibex`` paths (a duplicate frame, a missing
    id), which the command line makes fatal (exit 6): the files are used as they are."""


def _argument_error(message: str) -> Error:
    """An Error about a value given (kind 'argument'), as the C++ Filter raises them; its
    message shown as the command line shows a diagnostic (see _quoted)."""
    # As bytes: a value that is no UTF-8 (surrogate escapes) is shown as \\xHH too.
    return _dltdump.error("argument", "", ("Filter: " + message).encode("utf-8", "surrogateescape"))


def _quoted(value: Any) -> str:
    """A value for a message: a string in single quotes as it is (the Error shows its control
    characters as the command line does, \\xHH), anything else as its repr."""
    return f"'{value}'" if isinstance(value, str) else repr(value)


def _type_names() -> dict[str, tuple[int, int]]:
    """--type names (the second word of a TYPE column: 'error', 'can', 'request') → (MSTP, MTIN)."""
    names = {}
    for mstp in range(4):
        for mtin in range(16):
            words = _dltdump.type_text(mstp, mtin).split(" ")
            if len(words) == 2:
                names[words[1]] = (mstp, mtin)
    return names


_TYPES = _type_names()


def _many(value: Any) -> list:
    """One value or an iterable of them, as a list (a str is one value)."""
    if isinstance(value, (str, bytes, int, float, _os.PathLike, _datetime.datetime, Catalogue)):
        return [value]
    return list(value)


def _type(value: Any) -> tuple[int, int]:
    if isinstance(value, str) and value.strip().lower() in _TYPES:
        return _TYPES[value.strip().lower()]
    try:
        msin = int(value)
    except (TypeError, ValueError):
        raise _argument_error(f"type {_quoted(value)} is no message type: one of {', '.join(_TYPES)} or an MSIN number") from None
    if msin < 0 or msin > 0xFE or msin & 1 or (msin >> 1) & 7 > 3:
        raise _argument_error(f"type {msin} can never match (an even MSIN value of message types 0-3)")
    return (msin >> 1) & 7, msin >> 4


def _whole(value: Any, name: str, low: int, high: int) -> int:
    """An int (or its digits) from low to high, as the command line's whole-number options."""
    try:
        if isinstance(value, bool):
            raise TypeError
        n = int(value.strip(), 0) if isinstance(value, str) else _operator.index(value)
    except (TypeError, ValueError):
        n = None
    if n is None or not low <= n <= high:
        raise _argument_error(f"{name} {value!r} must be a whole number from {low} to {high}")
    return n


def _level(value: Any) -> int:
    if isinstance(value, str) and value.strip().lower() in LEVELS[1:]:
        return LEVELS.index(value.strip().lower())
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 6:
        return value
    raise _argument_error(f"level {_quoted(value)} is no log level: fatal, error, warn, info, debug, verbose (or 1-6)")


def _microseconds(value: Any) -> int:
    if isinstance(value, _datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_datetime.timezone.utc)
        epoch = _datetime.datetime(1970, 1, 1, tzinfo=_datetime.timezone.utc)
        return (value - epoch) // _datetime.timedelta(microseconds=1)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not _math.isfinite(value):
            raise _argument_error(f"time {_quoted(value)} is no time")
        us = round(value * 1_000_000)
        if not -2**63 <= us < 2**63:
            raise _argument_error(f"time {_quoted(value)} is out of range (microseconds since 1970 in 64 bits)")
        return us
    raise _argument_error(f"time {_quoted(value)} is neither a datetime nor seconds since 1970")


def make_filter(**filters: Any) -> tuple[Filter, Catalogue | None, Format]:
    """The Filter, catalogue and format that keyword filters (see the module's help) ask for."""
    base = filters.pop("filter", None)
    if base is not None and not isinstance(base, Filter):
        raise TypeError(f"dltdump: filter must be a dltdump.Filter, not {type(base).__name__}")
    f = Filter(base) if base is not None else Filter()  # a copy: the caller's stays as it is
    catalogue = None
    # --nv-multiecu, --nv-noexthdr: how the catalogue finds a message's frame.
    lookup = dict(per_ecu=bool(filters.pop("nv_multiecu", False)), id_only=bool(filters.pop("nv_noexthdr", False)))
    fmt = Format.automatic
    times: dict[str, int] = {}
    for key, value in filters.items():
        key = _ALIASES.get(key, key)
        if value is None:
            continue
        if key in ("ecuid", "appid", "ctxid", "not_ecuid", "not_appid", "not_ctxid"):
            for v in _many(value):
                getattr(f, key)(v)
        elif key == "session":
            for v in _many(value):
                f.session(_whole(v, "sessionid", -2**31, 2**32 - 1) & 0xFFFFFFFF)
        elif key == "level":
            f.level(_level(value))
        elif key in ("type", "not_type"):
            for v in _many(value):
                getattr(f, key)(*_type(v))
        elif key == "kind":
            for v in _many(value):
                if v not in _KINDS:
                    raise _argument_error(f"kind {_quoted(v)} is none of verbose, non-verbose, control")
                f.kind(_KINDS[v])
        elif key in ("verbose", "non_verbose", "control"):
            if value:
                f.kind(key.replace("_", "-"))
        elif key == "messageid":
            for v in _many(value):
                f.message_id(_whole(v, "messageid", 0, 2**32 - 1))
        elif key in ("not_before", "not_after"):
            times[key] = _microseconds(value)
            getattr(f, key)(times[key])
        elif key == "s":
            for v in _many(value):
                f.contains(v)
        elif key == "r":
            for v in _many(value):
                f.regex(v)
        elif key == "i":
            f.ignore_case(bool(value))
        elif key == "v":
            f.invert(bool(value))
        elif key == "fibex":
            if isinstance(value, Catalogue):
                # Its lookup was fixed when it was read: a keyword here would be ignored.
                if any(lookup.values()):
                    raise _argument_error("nv_multiecu and nv_noexthdr go with FIBEX paths; a Catalogue has its own "
                                          "(Catalogue(paths, per_ecu=True, id_only=True))")
                catalogue = value
            else:
                catalogue = Catalogue([_os.fspath(p) for p in _many(value)], **lookup)
                for w in catalogue.warnings:
                    _warnings.warn(w, FibexWarning, stacklevel=3)
        elif key == "format":
            name = value.strip().lower() if isinstance(value, str) else value
            if name not in _FORMATS:
                raise _argument_error(f"format {_quoted(value)} is none of {', '.join(_FORMATS)}")
            fmt = _FORMATS[name]
        else:
            raise TypeError(f"dltdump: unknown filter {key!r}")
    if times.get("not_before", -2**63) > times.get("not_after", 2**63):
        raise _argument_error("nothing to filter, not_before must be earlier than not_after")
    return f, catalogue, fmt


def _paths(paths: Paths) -> list[bytes]:
    """The inputs' names as the bytes the system takes: a str as os.fsencode makes them (so
    a name os.listdir gave with undecodable bytes reads the file), bytes, os.PathLike."""
    if isinstance(paths, (str, bytes, _os.PathLike)):
        paths = [paths]
    return [_os.fsencode(p) for p in paths]


def _refuse_endless(files: list[bytes], what: str) -> None:
    """A UDP input ends only when cancelled: a call that reads its inputs to their ends
    (read_dataframe, write) would wait forever. Raises Error (argument) naming it."""
    for name in files:
        if name[:6].lower() == b"udp://":
            e = _dltdump.error(
                "argument", name, name + b": a UDP input ends only when cancelled; read it with dltdump.open() and "
                b"Reading.cancel(), not " + what.encode())
            e.input = _os.fsdecode(name)
            raise e


def open(paths: Paths, **filters: Any) -> Reading:  # noqa: A001 (as the built-in: a reading)
    """The messages of the inputs (one after the other, each in its order) that pass the filters.

    Each :class:`Message` holds its values (copied out of the decoder): ``time`` (float
    seconds since 1970, UTC; ``None`` without a time source — also ``time_us``,
    microseconds, and ``datetime``, an aware datetime), ``device_time``, ``counter``,
    ``ecu``, ``app``, ``ctx``, ``session``, ``kind``, ``verbose``, ``type``, ``subtype``,
    ``level`` (0-6, see LEVELS), ``message_id``, ``noar``, ``text``, ``args`` (typed),
    ``input``, ``position``. Raises :class:`Error` when an input cannot be read (when the
    iteration reaches it) or a filter value can never match (at once).
    """
    f, catalogue, fmt = make_filter(**filters)
    return Reading(_paths(paths), f, catalogue, fmt)


class Reading(Iterator[Message]):
    """What :func:`open` returns: the messages of its inputs, one after the other (an
    iterator; each input is opened when the iteration reaches it). ``cancel()``, from any
    thread, ends it: a live input's waiting step returns within 0.1 s with what was
    received, and the iteration ends there (no Error)."""

    def __init__(self, files: list[bytes], f: Filter, catalogue: Catalogue | None, fmt: Format) -> None:
        self._files = iter(files)
        self._filter, self._catalogue, self._format = f, catalogue, fmt
        self._current: Messages | None = None
        self._cancelled = False
        self._datagrams = {"received": 0, "kernel_drops": 0, "dltdump_drops": 0}  # of the inputs ended

    def __iter__(self) -> Reading:
        return self

    def __next__(self) -> Message:
        while True:
            if self._current is None:
                if self._cancelled:
                    raise StopIteration
                # Opening may wait (a TCP connection), without the GIL: a cancel() meanwhile
                # is seen below.
                self._current = Messages(next(self._files), self._filter, self._catalogue, self._format)
                if self._cancelled:
                    self._current.cancel()
            try:
                return next(self._current)
            except StopIteration:
                if self._current.warning:
                    _warnings.warn(self._current.warning, InputWarning, stacklevel=2)
                for key, n in self._current.datagrams.items():
                    self._datagrams[key] += n
                self._current = None

    @property
    def datagrams(self) -> dict[str, int]:
        """The UDP inputs' datagrams so far, as the command line reports them at a UDP input's
        end: ``received``, ``kernel_drops`` (the socket's buffer was full) and
        ``dltdump_drops`` (the queue of received datagrams was full: the iteration did not
        keep up); a dropped datagram's messages are not delivered. Zeros for other inputs.
        Thread-safe: another thread may watch it while this one waits in the iteration."""
        total = dict(self._datagrams)
        current = self._current
        if current is not None:
            for key, n in current.datagrams.items():
                total[key] += n
        return total

    def cancel(self) -> None:
        """Ends the reading (thread-safe): the input being read ends at its next step (the
        messages of the batch already decoded are still delivered; a live input's waiting
        step returns within 0.1 s with what it received), and no further input is opened."""
        self._cancelled = True
        current = self._current
        if current is not None:
            current.cancel()


def _message_datetime(self: Message) -> _datetime.datetime | None:
    us = self.time_us
    if us is None:
        return None
    return _datetime.datetime(1970, 1, 1, tzinfo=_datetime.timezone.utc) + _datetime.timedelta(microseconds=us)


Message.datetime = property(_message_datetime, doc="time as an aware datetime (UTC); None without a time source.")


def _categorical(pd: Any, column: Mapping[str, Any]) -> Any:
    return pd.Categorical.from_codes(column["codes"], categories=column["categories"])


def dataframe_of(columns: Mapping[str, Any]) -> Any:
    """The pandas DataFrame of read_columns' arrays (no copy of the numeric columns)."""
    import numpy as np
    import pandas as pd

    # The TYPE column's texts ("log error") are few: split them, not the rows.
    types = columns["type"]
    words = [t.split(" ", 1) if t else [] for t in types["categories"]]
    type_names = sorted({w[0] for w in words if w})
    subtype_names = sorted({w[1] for w in words if len(w) == 2})
    type_map = np.array([type_names.index(w[0]) if w else -1 for w in words] or [-1], dtype=np.int16)
    subtype_map = np.array([subtype_names.index(w[1]) if len(w) == 2 else -1 for w in words] or [-1], dtype=np.int16)
    codes = types["codes"]
    data = {
        "input": pd.Categorical.from_codes(columns["input"], categories=columns["inputs"]),
        "position": columns["position"],
        "time": columns["time"],
        "device_time": columns["device_time"],
        "counter": columns["counter"],
        "ecu": _categorical(pd, columns["ecu"]),
        "app": _categorical(pd, columns["app"]),
        "ctx": _categorical(pd, columns["ctx"]),
        "session": pd.arrays.IntegerArray(columns["session"], columns["session_missing"]),
        "kind": pd.Categorical.from_codes(columns["kind"], categories=["verbose", "non-verbose", "control"]),
        "type": pd.Categorical.from_codes(type_map[codes], categories=type_names),
        "subtype": pd.Categorical.from_codes(subtype_map[codes], categories=subtype_names),
        "level": columns["level"],
        "message_id": pd.arrays.IntegerArray(columns["message_id"], columns["message_id_missing"]),
        "noar": pd.arrays.IntegerArray(columns["noar"], columns["noar_missing"]),
    }
    if "text" in columns:
        data["text"] = columns["text"]
    df = pd.DataFrame(data, copy=False)
    df.attrs["skipped_bytes"] = columns["skipped_bytes"]
    return df


def chunk_points(path: PathLike, chunk_bytes: int, *, format: str = "auto") -> list[int]:  # noqa: A002
    """Where dltdump's parallel decoder cuts the DLT file ``path`` into chunks of about
    ``chunk_bytes`` bytes: 0, the further chunk starts (verified packet starts) in order, then
    the file's size. ``[]`` when the input is not cut: ``chunk_bytes`` 0, an empty file, or
    anything but a plain DLT file (compressed inputs, serial and network recordings,
    captures, archives, standard input). Raises :class:`Error` when it cannot be opened.

    Chunk k (``read_dataframe(path, chunk=(points[k], chunk_bytes))``) usually ends at
    ``points[k + 1]``; when a packet straddles that cut (a verified start inside another
    packet's payload), it reads on to a later cut and the chunks it passed over are no part
    of the file's read (``df.attrs["chunk_end"]`` says where it ended): the whole read is
    the chain of chunks that each begin where the one before ended, as
    :func:`dltdump.dask.read_dlt` puts them together.
    """
    if format not in _FORMATS:
        raise _argument_error(f"format {_quoted(format)} is none of {', '.join(_FORMATS)}")
    return _dltdump.chunk_points(_os.fspath(path), int(chunk_bytes), _FORMATS[format])


def read_dataframe(paths: Paths, *, text: bool = True, chunk: tuple[int, int] | None = None, **filters: Any) -> Any:
    """The messages of the inputs that pass the filters as a pandas DataFrame, a row each.

    Columns (built in C++: numpy arrays, no Python object per message but the texts):

    ============  ==============================================================
    input         Categorical: the input as given
    position      uint64: offset of the message in its input's DLT stream
    time          datetime64[ns] (UTC): storage header or capture time; NaT without
    device_time   float64 seconds (the header's time stamp); NaN without
    counter       uint8
    ecu/app/ctx   Categorical ids ('' when absent)
    session       Int32 (nullable)
    kind          Categorical: verbose, non-verbose, control
    type/subtype  Categorical: 'log' and 'error', …; NaN where a line shows no type
    level         uint8: 1 fatal … 6 verbose, 0 none (LEVELS names them)
    message_id    UInt32 (nullable): non-verbose messages' ids
    noar          UInt8 (nullable): the argument count; NA for control messages
    text          object (str): the payload's text, as the command line shows it;
                  left out with text=False (the only per-message Python objects)
    ============  ==============================================================

    ``df.attrs["skipped_bytes"]`` counts the bytes skipped as SKIP lines; an input none of
    whose bytes was a message warns (:class:`InputWarning`, the command line's line). The decoding runs
    without the GIL. Raises :class:`Error` (nothing is returned) when an input fails.

    ``chunk=(begin, chunk_bytes)`` reads one chunk of a single plain DLT file (see
    :func:`chunk_points`; ``begin`` one of its points but the last): the messages the whole
    file's read has from ``begin`` on, positions relative to the file, up to the cut where
    the chunk's reading ended, ``df.attrs["chunk_end"]``. Raises :class:`Error` (kind
    ``'argument'``) for an input that is not cut or a ``begin`` that is no chunk start.
    """
    f, catalogue, fmt = make_filter(**filters)
    files = _paths(paths)
    _refuse_endless(files, "read_dataframe")
    if chunk is None:
        columns = _dltdump.read_columns(files, f, catalogue, fmt, text)
    else:
        if len(files) != 1:
            raise TypeError("dltdump.read_dataframe: chunk= reads one input")
        begin, chunk_bytes = (int(v) for v in chunk)
        if chunk_bytes <= 0:
            raise ValueError(f"dltdump.read_dataframe: chunk size {chunk_bytes} is not positive")
        columns = _dltdump.read_columns(files, f, catalogue, fmt, text, chunk_bytes, begin)
    for w in columns["warnings"]:
        _warnings.warn(w, InputWarning, stacklevel=2)
    df = dataframe_of(columns)
    if chunk is not None:
        df.attrs["chunk_end"] = columns["ends"][0]
    return df


_RECORDS = {None: "", "text": "text", "json": "json", "jsonl": "json", "ndjson": "json", "csv": "csv"}


def write(paths: Paths, output: PathLike, *, out: str | None = None, overwrite: bool = False,
          template: bool = False, split: int = 0, time: str = "local", position: bool = False,
          **filters: Any) -> int:
    """Writes the messages of the inputs that pass the filters to the file ``output``, as
    ``dltdump INPUTS -o OUTPUT`` writes them (the same bytes), and returns how many.

    The name says what the file holds: ``*.dlt`` a DLT file (a message's storage header kept,
    or made for a recording's), ``*.pcapng`` a PCAP-NG capture, ``*.jsonl``/``*.ndjson``
    JSON Lines, ``*.csv`` CSV, another name text lines (local time, as ``TZ`` says); a
    ``.gz``, ``.zst`` or ``.xz`` suffix compresses it. ``out`` (``"text"``, ``"json"``,
    ``"csv"``) is ``--out``: the records of a file of another name. ``overwrite`` is ``-f``:
    without it an existing file is refused. Inputs and filters are :func:`open`'s. Regions
    that are no message are written as the command line writes them (SKIP lines and
    records). The reading and writing run without the GIL.

    ``template=True`` makes ``output`` a template of file names, as ``-o``'s: ``%FILE%``
    the name of each input without folder and extensions (each input gets files of its
    own), ``%CTR%`` the counter of a split's files (``001``, ...), ``%CDATE%``, ``%CTIME%``,
    ``%CDATETIME%`` the local time of each file's first message, ``%%`` a ``%``, ``%NAME%``
    the environment variable NAME; without it a ``%`` is a character of the name.
    ``split`` is ``--split`` in bytes (65536 at least; ``0``: none): a file holding that
    many is closed at the next message and the next one begun, which needs a template
    naming a series (``%CTR%`` or a date or time). ``%LC%`` (a file per lifecycle) needs
    ``dltdump --sort``: refused (``'argument'``).

    ``time`` and ``position`` are ``--time`` and ``--position`` of text lines: the TIME
    column ``"local"`` (the default), ``"utc"``, ``"iso"``, ``"relative"`` (seconds since the
    first line with a time this call writes, one clock for all its files) or ``"device"``
    (none), and each line begun with the message's byte offset in its input. For JSON Lines,
    CSV, DLT and PCAP-NG, which keep their own times, another choice raises ``'argument'``.

    An input whose file may not be made (given twice with ``%FILE%``: "Not overwriting
    previously created file") is passed over, as the command line passes over it, and the
    :class:`Error` (``'output'``) raised once the other inputs are written.

    The file is whole when this returns; a write that fails (a full disk) raises
    :class:`Error` of kind ``'output'`` naming the file, as does a file that cannot be
    created; a name or ``out`` the command line refuses raises kind ``'argument'``, and so
    does a name that is the command line's console (``CON:``, ``/dev/stdout``): the library
    never prints to the program's standard output — for text, iterate :func:`open` (each
    message's ``text``) or take :func:`read_dataframe`'s ``text`` column.
    """
    if out is not None and not isinstance(out, str):
        raise TypeError(f"dltdump.write: out must be a str, not {type(out).__name__}")
    records = _RECORDS.get(out.lower() if out else None)
    if records is None:
        raise _dltdump.error("argument", "", f"dltdump.write: out {_quoted(out)} is none of text, json, csv")
    if not isinstance(split, int) or isinstance(split, bool) or split < 0:
        raise _dltdump.error("argument", "", f"dltdump.write: split must be a number of bytes (an int, 0 for none), "
                             f"not {split!r}")
    if not isinstance(time, str):
        raise TypeError(f"dltdump.write: time must be a str, not {type(time).__name__}")
    f, catalogue, fmt = make_filter(**filters)
    files = _paths(paths)
    _refuse_endless(files, "write")
    return _dltdump.write(files, _os.fsencode(output), f, catalogue, fmt, records, bool(overwrite),
                          bool(template), split, time, bool(position))
