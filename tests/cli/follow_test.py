#!/usr/bin/python3
"""Issue #23 (scope 6): --follow. A writer appends a generated recording in random chunks
(messages cut anywhere, pauses between); dltdump --follow ends, at Ctrl-C, with exactly the
lines of the whole file — for DLT files and network recordings, with filters and context,
into the console and a DLT file. A file truncated meanwhile is followed from its start, a
rotated one read to its end and the new one followed; a message cut short at the end when
the run is stopped prints nothing; what cannot be followed is refused in one line.

Usage: follow_test.py DLTDUMP DLTGEN WORK_DIR"""
import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_checks import ENV, check, finish, fresh_dir, runner  # noqa: E402

dltdump, dltgen, work = sys.argv[1], sys.argv[2], sys.argv[3]
fresh_dir(work)
run = runner(dltdump)
rng = random.Random(23)


def generate(name, *args):
    path = os.path.join(work, name)
    subprocess.run([dltgen, *args, "-o", path], check=True)
    return path


def lines_of(*args):
    code, out, err = run(*args)
    assert code == 0, err
    return out


class Follower:
    """dltdump --follow running on `followed`, its standard output into a file."""

    def __init__(self, followed, *args):
        self.out_path = followed + ".out"
        self.err_path = followed + ".err"
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen([dltdump, "--follow", *args, followed], stdout=out, stderr=err, env=ENV)

    def output(self):
        return open(self.out_path, "rb").read()

    def wait_for(self, expected, seconds=15):
        """Waits until the output is `expected` long (the follower flushes at each end)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(self.output()) < len(expected):
            time.sleep(0.05)
        time.sleep(0.3)  # anything more would be wrong: give it the time to show

    def wait_for_error(self, text, seconds=15):
        """Waits until standard error holds `text` (a slow start, e.g. under ASan on a loaded
        machine, must not let the test act before dltdump has seen what it is to see)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and text not in open(self.err_path, "rb").read():
            time.sleep(0.05)

    def wait_open(self, path, seconds=15):
        """Waits until dltdump has `path` open (/proc/PID/fd), i.e. follows that file."""
        deadline = time.monotonic() + seconds
        fd_dir = "/proc/%d/fd" % self.proc.pid
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if any(os.readlink(os.path.join(fd_dir, fd)) == path for fd in os.listdir(fd_dir)):
                    return
            except OSError:
                pass
            time.sleep(0.02)

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = "hung"
        return code, self.output(), open(self.err_path, "rb").read()


def append_in_chunks(path, data, pause=0.02):
    """Appends `data` to `path` in random pieces (1 byte to 64 KiB), pausing between some."""
    at = 0
    with open(path, "ab") as f:
        while at < len(data):
            n = min(len(data) - at, rng.choice([1, 3, 17, 100, 1000, 4096, 30000, 65536]))
            f.write(data[at:at + n])
            f.flush()
            at += n
            if rng.random() < 0.3:
                time.sleep(rng.random() * pause)


# --- appended in random chunks: exactly the lines of the whole file, for several options.
cases = [
    ("file", ["--count", "4000", "--seed", "1", "--corrupt", "2"], []),
    ("file-filtered", ["--count", "4000", "--seed", "2"], ["--type=error,fatal", "-A", "1", "-B", "2"]),
    ("net", ["--format", "net", "--count", "3000", "--seed", "3"], ["--format=net"]),
    ("serial", ["--format", "ser", "--count", "3000", "--seed", "4"], ["--format=ser", "--position"]),
]
for name, gen_args, args in cases:
    source = generate(name + ".src", *gen_args)
    data = open(source, "rb").read()
    expected = lines_of(*args, source)
    followed = os.path.join(work, name + ".dlt")
    open(followed, "wb").write(data[:rng.randrange(1, 5000)])  # begun: the first bytes only
    f = Follower(followed, *args)
    time.sleep(0.3)
    append_in_chunks(followed, data[os.path.getsize(followed):])
    f.wait_for(expected)
    check(f.output() == expected, "%s: every line written while following, before the stop" % name)
    code, out, err = f.stop()
    check(code == 0 and err == b"", "%s: Ctrl-C ends it normally: %s %r" % (name, code, err[:300]))
    check(out == expected, "%s: the lines of the whole file (%d of %d bytes)" % (name, len(out), len(expected)))

# Into a DLT file: the same messages.
source = generate("dltout.src", "--count", "3000", "--seed", "5")
data = open(source, "rb").read()
followed = os.path.join(work, "dltout.dlt")
open(followed, "wb").close()
out_dlt = os.path.join(work, "followed-out.dlt")
f = Follower(followed, "-f", "-o", out_dlt)
append_in_chunks(followed, data)
deadline = time.monotonic() + 15
while time.monotonic() < deadline and (not os.path.exists(out_dlt) or os.path.getsize(out_dlt) < len(data)):
    time.sleep(0.05)
code, _, err = f.stop()
check(code == 0 and err == b"", "-o x.dlt: ends normally: %s %r" % (code, err[:200]))
check(lines_of(out_dlt) == lines_of(source), "-o x.dlt: the same messages")

# --- a message cut short at the end when the run stops: nothing of it printed.
source = generate("partial.src", "--count", "500", "--seed", "6")
data = open(source, "rb").read()
whole = lines_of(source)
followed = os.path.join(work, "partial.dlt")
cut = len(data) - 7  # inside the last message
open(followed, "wb").write(data[:cut])
f = Follower(followed)
expected = whole[:whole.rstrip(b"\n").rfind(b"\n") + 1]  # every line but the last message's
f.wait_for(expected)
code, out, err = f.stop()
check(code == 0 and out == expected, "a message cut short at the end prints nothing: %s, %d of %d" % (code, len(out), len(expected)))

# --- truncated under it: followed from its start again, one line saying so.
a = open(generate("trunc-a.src", "--count", "800", "--seed", "7"), "rb").read()
b = open(generate("trunc-b.src", "--count", "300", "--seed", "8"), "rb").read()
followed = os.path.join(work, "trunc.dlt")
open(followed, "wb").write(a)
expected_a = lines_of(os.path.join(work, "trunc-a.src"))
f = Follower(followed)
f.wait_for(expected_a)
open(followed, "wb").close()  # truncated to nothing
f.wait_for_error(b"file truncated")
append_in_chunks(followed, b)
expected = expected_a + lines_of(os.path.join(work, "trunc-b.src"))
f.wait_for(expected)
code, out, err = f.stop()
check(code == 0 and out == expected, "truncated: the lines before, then the new content's: %d of %d" % (len(out), len(expected)))
check(err == b"trunc.dlt: file truncated; following it from its start\n".replace(b"trunc.dlt", followed.encode()),
      "truncated: one line says so: %r" % err)

# --- rotated: the old file read to its end (the writer still adds to it), then the new one.
a = open(generate("rot-a.src", "--count", "600", "--seed", "9"), "rb").read()
b = open(generate("rot-b.src", "--count", "400", "--seed", "10"), "rb").read()
followed = os.path.join(work, "rot.dlt")
open(followed, "wb").write(a[:len(a) // 2])
f = Follower(followed)
f.wait_open(followed)
time.sleep(0.2)
os.rename(followed, followed + ".1")
with open(followed + ".1", "ab") as old:
    old.write(a[len(a) // 2:])  # the writer's last bytes go to the old file
time.sleep(0.05)
append_in_chunks(followed, b)
expected = lines_of(os.path.join(work, "rot-a.src")) + lines_of(os.path.join(work, "rot-b.src"))
f.wait_for(expected)
code, out, err = f.stop()
check(code == 0 and out == expected, "rotated: the old file to its end, then the new one: %d of %d" % (len(out), len(expected)))
check(err == (followed + " has been replaced; following the new file\n").encode(), "rotated: one line says so: %r" % err)

# --- -m: following ends after the matches, exit 0, as grep -m.
source = generate("maxcount.src", "--count", "2000", "--seed", "11")
followed = os.path.join(work, "maxcount.dlt")
shutil.copy(source, followed)
code, out, err = run("--follow", "-m", "5", "--type=error", followed)
check(code == 0 and out == lines_of("-m", "5", "--type=error", source) and out.count(b"\n") == 5 and err == b"",
      "--follow -m 5: five matches, then the end: %s %r" % (code, err[:200]))

# --- a network recording whose first write is too short to tell its format: sniffed once
# the bytes decide it (without --format), every line.
source = generate("tiny-net.src", "--format", "net", "--count", "2000", "--seed", "12")
data = open(source, "rb").read()
followed = os.path.join(work, "tiny-net.bin")
open(followed, "wb").close()
f = Follower(followed)
time.sleep(0.3)
with open(followed, "ab") as w:
    w.write(data[:100])
time.sleep(0.4)
append_in_chunks(followed, data[100:])
expected = lines_of(source)
f.wait_for(expected)
code, out, err = f.stop()
check(code == 0 and out == expected and err == b"", "a network recording begun with 100 bytes: every line: %d of %d %r" % (len(out), len(expected), err[:200]))

# --- a name that does not exist yet: waited for, one line saying so.
followed = os.path.join(work, "later.dlt")
source = generate("later.src", "--count", "300", "--seed", "13")
f = Follower(followed)
f.wait_for_error(b"does not exist (yet)")
append_in_chunks(followed, open(source, "rb").read())
expected = lines_of(source)
f.wait_for(expected)
code, out, err = f.stop()
check(code == 0 and out == expected, "a file created later: its lines: %d of %d" % (len(out), len(expected)))
check(err == (followed + " does not exist (yet); following it once it is created\n").encode(), "a file created later: one line: %r" % err)

# --- rotated to a file of another format (a network recording): sniffed again.
a_src = generate("rotfmt-a.src", "--count", "400", "--seed", "14")
b_src = generate("rotfmt-b.src", "--format", "net", "--count", "400", "--seed", "15")
followed = os.path.join(work, "rotfmt.dlt")
shutil.copy(a_src, followed)
f = Follower(followed)
expected_a = lines_of(a_src)
f.wait_for(expected_a)
os.rename(followed, followed + ".1")
shutil.copy(b_src, followed + ".tmp")
os.rename(followed + ".tmp", followed)
expected = expected_a + lines_of(b_src)
f.wait_for(expected)
code, out, err = f.stop()
check(code == 0 and out == expected, "rotated to a network recording: both files' lines: %d of %d" % (len(out), len(expected)))

# --- removed: read to its end, then its name waited for.
followed = os.path.join(work, "removed.dlt")
source = generate("removed.src", "--count", "200", "--seed", "16")
shutil.copy(source, followed)
f = Follower(followed)
f.wait_for(lines_of(source))
os.remove(followed)
f.wait_for_error(b"has been removed")
code, out, err = f.stop()
check(code == 0 and out == lines_of(source) and
      err == (followed + " has been removed; following it once it is created again\n").encode(),
      "removed: one line says so: %r" % err)

# --- options without effect: one warning each; the run goes on.
followed = os.path.join(work, "warned.dlt")
shutil.copy(source, followed)
f = Follower(followed, "--threads=2", "--progress=always")
f.wait_for(lines_of(source))
code, out, err = f.stop()
check(code == 0 and out == lines_of(source) and
      err == b"dltdump: warning: Option 'threads' has no effect with 'follow' (one decoding thread)\n"
             b"dltdump: warning: Option 'progress' has no effect with 'follow' (a followed file has no end)\n",
      "--follow --threads --progress: two warnings: %r" % err)

# --- refused: one line each.
capture = os.path.join(work, "cap.pcapng")
open(capture, "wb").write(bytes.fromhex("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000"))
for args, want_code, word in ((["--follow", followed, followed], 1, b"'follow'"), (["--follow", "-"], 1, b"'follow'"),
                              (["--follow", "udp://127.0.0.1:3490"], 1, b"'follow'"),
                              (["--follow", "--format=pcap", followed], 1, b"'follow'"),
                              (["--follow", capture], 3, b"captures"),
                              (["--follow", work], 3, b"not a regular file"),
                              (["--follow", "/dev/null"], 3, b"not a regular file")):
    code, out, err = run(*args)
    check(code == want_code and out == b"" and err.count(b"\n") == 1 and word in err,
          "%s: exit %d and one line: %s %r" % (args, want_code, code, err))

# A FIFO: refused at once (its open would wait for a writer).
fifo = os.path.join(work, "fifo")
os.mkfifo(fifo)
try:
    r = subprocess.run([dltdump, "--follow", fifo], capture_output=True, env=ENV, timeout=10)
    check(r.returncode == 3 and r.stdout == b"" and b"not a regular file" in r.stderr and r.stderr.count(b"\n") == 1,
          "a FIFO: refused in one line: %s %r" % (r.returncode, r.stderr))
except subprocess.TimeoutExpired:
    check(False, "a FIFO: --follow hangs")

finish()
