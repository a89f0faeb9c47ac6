#!/usr/bin/python3
"""A live recording into a compressed file, stopped by SIGINT (issue #26).

A TCP peer here sends a generated DLT stream (network framing) to `dltdump -o rec.dlt.zst
tcp://127.0.0.1:PORT` in small pieces and keeps sending while dltdump gets SIGINT. What
it leaves must be valid (`zstd -t`, `gzip -t`, `xz -t`) and decompress to whole messages
only: dltdump reads it back without a diagnostic or a SKIP line (but the one that
records the bytes of a message the stop cut off, last, as in every live recording that
ends), and its lines (with the
device time, which the recording does not change) are the first lines of the sent
stream's. With `--split` and %CTR%, every file of the series is valid and all but the last
hold at least the split size before compression.

Usage: compressed_recording_test.py DLTDUMP DLTGEN WORKDIR
"""
import glob
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cli_checks import ENV, check, finish, fresh_dir  # noqa: E402

DLTDUMP, DLTGEN, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
fresh_dir(WORK)
TOOLS = {".zst": ["zstd", "-q"], ".gz": ["gzip"], ".xz": ["xz"]}

sent_path = os.path.join(WORK, "sent.dlt")
subprocess.run([DLTGEN, "--format", "net", "--size", "12000000", "--seed", "31", "-o", sent_path], check=True)
with open(sent_path, "rb") as f:
    SENT = f.read()
SENT_LINES = subprocess.run([DLTDUMP, "--time=device", "--format=net", sent_path], capture_output=True, env=ENV,
                            check=True).stdout.splitlines(keepends=True)


def unpack(path):
    for suffix, tool in TOOLS.items():
        if path.endswith(suffix):
            test = subprocess.run(tool + ["-t", path], capture_output=True)
            check(test.returncode == 0, "%s is not valid: %r" % (path, test.stderr[:200]))
            return subprocess.run(tool + ["-dc", path], capture_output=True).stdout
    raise ValueError(path)


def record(name, extra, enough):
    """Records into WORK/<name> until SIGINT, sent once `enough(files)` holds for the files
    written so far (or 60 s passed: the checks after then fail); returns dltdump's exit code,
    standard error and the names of the files it wrote. The stop waits for what was
    recorded, not for a time, so that a slow machine does not fail the test."""
    out_dir = fresh_dir(os.path.join(WORK, "rec"))
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    proc = subprocess.Popen([DLTDUMP, *extra, "-o", os.path.join(out_dir, name), "tcp://127.0.0.1:%d" % port],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    server.settimeout(20)
    conn, _ = server.accept()
    done = threading.Event()

    def send():
        # Pieces that cut messages, a little at a time, until the connection closes.
        sent = 0
        try:
            while sent < len(SENT) and not done.is_set():
                conn.sendall(SENT[sent:sent + 30011])
                sent += 30011
                time.sleep(0.002)
        except OSError:
            pass

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.time() + 60
    while time.time() < deadline and sender.is_alive():
        time.sleep(0.05)
        if enough(sorted(glob.glob(os.path.join(out_dir, "*")))):
            break
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        check(False, "%s: SIGINT did not end the recording" % name)
    done.set()
    sender.join()
    conn.close()
    server.close()
    return proc.returncode, err, sorted(glob.glob(os.path.join(out_dir, "*")))


def check_messages(what, data):
    """`data` (a DLT file's bytes) holds whole messages only, the first ones sent."""
    path = os.path.join(WORK, "back.dlt")
    with open(path, "wb") as f:
        f.write(data)
    back = subprocess.run([DLTDUMP, "--time=device", path], capture_output=True, env=ENV)
    lines = back.stdout.splitlines(keepends=True)
    check(back.returncode == 0 and back.stderr == b"", "%s: reading back said %r" % (what, back.stderr[:200]))
    # The bytes of a message the stop cut off in the stream are recorded as the end of every
    # live recording is, uncompressed too: one whole SKIP message, last ("End of stream" when
    # the bytes are fewer than a header, "Flushing packets at end of stream" otherwise).
    if lines and re.search(rb" SKIP SKIP .*Reason: (Flushing packets at end of stream|End of stream)$", lines[-1]):
        lines.pop()
    check(not any(b"SKIP" in line for line in lines), "%s: a SKIP line: the file holds a cut message" % what)
    check(len(lines) > 0, "%s: no message recorded" % what)
    check(lines == SENT_LINES[:len(lines)], "%s: not the first messages sent" % what)


for name in ("rec.dlt.zst", "rec.dlt.gz", "rec.dlt.xz"):
    # Stopped once the compressed file holds something: mid-stream, a frame begun.
    code, err, files = record(name, [], lambda files: sum(os.path.getsize(p) for p in files) > 100000)
    check(code in (0, 130), "%s: exit %d, %r" % (name, code, err[:200]))
    check(len(files) == 1, "%s: files %r" % (name, files))
    if files:
        check_messages(name, unpack(files[0]))

# A series split by the bytes before compression.
SPLIT = 1 << 20
# Stopped once the fourth file was begun: three whole ones before it.
code, err, files = record("rec_%CTR%.dlt.zst", ["--split", "1M"], lambda files: len(files) >= 4)
check(code in (0, 130), "split: exit %d, %r" % (code, err[:200]))
check(len(files) >= 3, "split: %d files" % len(files))
joined = b""
for i, path in enumerate(files):
    data = unpack(path)
    if i < len(files) - 1:
        check(SPLIT <= len(data) < SPLIT + 70000, "split: %s holds %d bytes uncompressed" % (path, len(data)))
    joined += data
check_messages("split", joined)

finish()
