#!/usr/bin/python3
"""A recording or capture split anywhere gives the messages of the whole (manual: "the
result does not depend on where a recording was split"), sniffed as the whole is.

* dltgen's DLT file, network and serial recordings cut at many points (inside messages,
  inside storage headers, at message boundaries): each piece, read with --format=auto
  (network pieces: --format=net; auto too when they start at a message), prints exactly
  the lines the whole prints for the messages wholly inside it, in order; a piece that
  starts inside a message begins with a skip line; so the pieces' messages add up to the
  whole's less the messages cut in two. (A file piece beginning with text was read as a
  network recording, a network piece beginning with a space took a false packet that
  swallowed real messages.)
* capgen captures split by editcap: no piece prints a message the whole does not; with
  --no-split (no message across datagrams) the pieces add up to the whole exactly,
  otherwise they lose at most the messages cut in two (one per flow and cut).

Usage: split_inputs_test.py DLTDUMP DLTGEN CAPGEN WORKDIR
"""
import collections
import os
import random
import shutil
import subprocess
import sys

from cli_checks import check, finish, fresh_dir, runner

DLTDUMP, DLTGEN, CAPGEN, WORK = (os.path.abspath(a) for a in sys.argv[1:5])
run = runner(DLTDUMP)
fresh_dir(WORK)


def path(name):
    return os.path.join(WORK, name)


def lines_of(*args):
    """The message lines (position, text) and skip lines of dltdump --position ARGS."""
    code, out, err = run("--position", *args)
    messages, skips = [], []
    for line in out.decode("utf-8", "replace").splitlines():
        pos, _, text = line.partition(": ")
        (skips if " SKIP SKIP " in text else messages).append((int(pos, 16), text))
    return code, messages, skips


def check_recording(fmt, seed, cuts):
    whole = path(f"whole.{fmt}")
    subprocess.run([DLTGEN, "--format", fmt, "--size", "400000", "--seed", str(seed), "--timeline",
                    "-o", whole], check=True)
    data = open(whole, "rb").read()
    _, messages, skips = lines_of(f"--format={fmt}", whole)
    check(not skips and messages, f"{fmt}: the whole decodes clean ({len(messages)} messages)")
    starts = [p for p, _ in messages]
    ends = starts[1:] + [len(data)]
    boundaries = set(starts)
    rng = random.Random(seed)
    points = sorted(set(rng.randrange(1, len(data)) for _ in range(cuts)) |
                    set(rng.choice(starts[1:]) for _ in range(4)))
    edges = [0] + points + [len(data)]
    total, inside = 0, 0
    for a, b in zip(edges, edges[1:]):
        piece = path(f"piece.{fmt}")
        open(piece, "wb").write(data[a:b])
        expected = [t for p, e, (_, t) in zip(starts, ends, messages) if p >= a and e <= b]
        as_given = ["--format=net"] if fmt == "net" else []
        _, got, got_skips = lines_of(*as_given, piece)
        ok = check([t for _, t in got] == expected,
                   f"{fmt} piece [{a}, {b}): {len(got)} messages, the whole has {len(expected)} in it")
        if not ok:
            print(f"  first lines: {[t[:80] for _, t in got[:3]]}")
        if a not in boundaries:
            inside += 1
            check(got_skips and got_skips[0][0] == 0, f"{fmt} piece [{a}, {b}) starts with a skip line")
        if fmt == "net" and a in boundaries:
            _, auto, _ = lines_of(piece)
            check(len(auto) == len(expected), f"net piece [{a}, {b}) at a message: sniffed as a network recording")
        total += len(got)
    check(total == len(messages) - inside,
          f"{fmt}: the pieces hold {total} messages, the whole {len(messages)} less {inside} cut in two")
    # Pieces of 100 KB starting at a space inside a message (text: " speed timeout"), which
    # is a header without ids whose length comes from the text after it.
    spaces = [p for p in range(1, len(data) - 1) if data[p] == 0x20 and data[p + 1] > 0x40 and p not in boundaries]
    for a in rng.sample(spaces, 12):
        b = min(len(data), a + 100000)
        piece = path(f"space.{fmt}")
        open(piece, "wb").write(data[a:b])
        expected = [t for p, e, (_, t) in zip(starts, ends, messages) if p >= a and e <= b]
        _, got, got_skips = lines_of(*(["--format=net"] if fmt == "net" else []), piece)
        check([t for _, t in got] == expected and got_skips and got_skips[0][0] == 0,
              f"{fmt} piece [{a}, {b}) from a space: {len(got)} messages, the whole has {len(expected)} in it")


def multiset(*args):
    _, out, _ = run(*args)
    return collections.Counter(line for line in out.decode("utf-8", "replace").splitlines()
                               if " SKIP SKIP " not in line)


def check_capture(split, seed):
    stream, cap = path("stream.net"), path("cap.pcapng")
    subprocess.run([DLTGEN, "--format", "net", "--count", "6000", "--seed", str(seed), "-o", stream], check=True)
    subprocess.run([CAPGEN, "--dlt", stream, "--flows", "3", "--seed", str(seed), "-o", cap]
                   + ([] if split else ["--no-split"]), check=True, capture_output=True)
    whole = multiset(cap)
    pieces_dir = fresh_dir(path("cap_pieces"))
    subprocess.run(["editcap", "-c", "97", cap, os.path.join(pieces_dir, "c.pcapng")], check=True,
                   capture_output=True)
    names = sorted(os.listdir(pieces_dir))
    pieces = collections.Counter()
    for name in names:
        pieces += multiset(os.path.join(pieces_dir, name))
    kind = "split" if split else "no-split"
    check(not (pieces - whole), f"capture ({kind}): no piece prints a message the whole does not "
          f"({sum((pieces - whole).values())} do)")
    lost = sum((whole - pieces).values())
    cuts = len(names) - 1
    if split:
        check(lost <= 3 * cuts, f"capture ({kind}): {lost} messages lost at {cuts} cuts of 3 flows")
    else:
        check(lost == 0, f"capture ({kind}): {lost} messages lost at {cuts} cuts")


for seed, fmt in enumerate(["file", "net", "ser"], 1):
    check_recording(fmt, seed, 30)
if shutil.which("editcap"):
    check_capture(False, 4)
    check_capture(True, 5)
else:
    print("editcap not installed: captures not split")
finish()
