#!/usr/bin/python3
"""Issue #23 (scopes 1 and 2): colour and the progress line on a terminal. Lines coloured by level in a real terminal
(tmux: the pane read back with its attributes), and never when standard output is a pipe or
a file, when NO_COLOR is set or TERM is dumb, in output files, JSON or CSV. --color=always
colours a pipe too, with the same lines once the colour is taken out, for 1 and 2 threads,
with filters, context and positions.

Usage: terminal_test.py DLTDUMP DLTGEN CAPGEN WORK_DIR"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_checks import ENV, check, finish, runner  # noqa: E402

dltdump, dltgen, capgen, work = sys.argv[1:5]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
run = runner(dltdump)
SGR = re.compile(rb"\x1b\[[0-9;]*m")

log = os.path.join(work, "mixed.dlt")
subprocess.run([dltgen, "--count", "3000", "--seed", "5", "--corrupt", "3", "-o", log], check=True)
big = os.path.join(work, "big.dlt")  # large enough for the parallel decoders
subprocess.run([dltgen, "--count", "60000", "--seed", "6", "--corrupt", "1", "-o", big], check=True)

COLOURS = {b"log fatal": b"\x1b[1;31m", b"log error": b"\x1b[31m", b"log warn": b"\x1b[33m"}


def expected_colour(plain_line, position):
    """The colour a plain line gets: its level's, magenta for a skip line, none else."""
    if b" SKIP SKIP " in plain_line:
        return b"\x1b[35m"
    fields = plain_line.split(b" ")[1 if position else 0:]
    level = b" ".join(fields[8:10]) if len(fields) > 9 else b""
    return COLOURS.get(level, b"")


def screen_lines(screen):
    """The pane's lines (tmux capture-pane -e) as (text, coloured): whether the line's first
    character is drawn with a colour or bold. tmux writes a sequence only where the attributes
    change, so they are followed from line to line."""
    fg, bold, out = None, False, []
    for raw in screen.split(b"\n"):
        start_state = None
        for part in re.split(rb"(\x1b\[[0-9;]*m)", raw):
            m = re.fullmatch(rb"\x1b\[([0-9;]*)m", part)
            if m:
                for code in (m.group(1) or b"0").split(b";"):
                    if code == b"0":
                        fg, bold = None, False
                    elif code == b"1":
                        bold = True
                    elif code == b"22":
                        bold = False
                    elif code == b"39":
                        fg = None
                    elif code.startswith(b"3") and len(code) == 2:
                        fg = code
            elif part and start_state is None:
                start_state = fg is not None or bold
        out.append((SGR.sub(b"", raw), bool(start_state)))
    return out


# --- --color=always into a pipe: each line wrapped in its colour, nothing else changed.
for args in ([], ["--position"], ["--threads=2"], ["-s", "ok", "-B", "2", "-A", "1"], ["--type=error", "--threads=2"]):
    for f in (log, big):
        code, plain, _ = run(*args, f)
        code2, coloured, err = run("--color=always", *args, f)
        check(code == code2 == 0 and err == b"", "%s %s: exit codes" % (args, f))
        check(SGR.sub(b"", coloured) == plain, "%s %s: the colour taken out leaves the plain lines" % (args, f))
        plain_lines, coloured_lines = plain.split(b"\n"), coloured.split(b"\n")
        ok = len(plain_lines) == len(coloured_lines)
        wrong = None
        for p, c in zip(plain_lines, coloured_lines):
            if not p:
                continue
            colour = expected_colour(p, "--position" in args)
            want = colour + p + b"\x1b[0m" if colour else p
            if c != want:
                ok, wrong = False, (p, c)
                break
        check(ok, "%s %s: each line in its level's colour: %r" % (args, f, wrong))
        check(any(c.startswith(b"\x1b[31m") for c in coloured_lines), "%s %s: some error line coloured" % (args, f))
_, one, _ = run("--color=always", "--threads=1", big)
_, two, _ = run("--color=always", "--threads=2", big)
check(one == two, "--color=always: 1 and 2 threads give the same bytes")

# --- never: a pipe by default, files, records, NO_COLOR does not matter to always.
_, out, _ = run(log)
check(b"\x1b" not in out, "auto into a pipe: no colour")
_, out, _ = run("--color", log)
check(b"\x1b" not in out, "--color alone is auto: no colour into a pipe")
_, out, _ = run("--color=never", log)
check(b"\x1b" not in out, "never: no colour")
for name in ("out.txt", "out.jsonl", "out.csv"):
    path = os.path.join(work, name)
    code, _, _ = run("--color=always", "-f", "-o", path, log)
    check(code == 0 and b"\x1b" not in open(path, "rb").read(), "--color=always -o %s: no colour in the file" % name)
for records in ("json", "csv"):
    _, out, err = run("--color=always", "--out=" + records, log)
    check(b"\x1b" not in out, "--color=always --out=%s: no colour in records" % records)
    check(err == b"dltdump: warning: Option 'color' has no effect here (it colours text lines on the console only)\n",
          "--color=always --out=%s: a warning: %r" % (records, err))
code, out, err = run("--color=sometimes", log)
check(code == 1 and out == b"" and err.count(b"\n") == 1 and b"'color'" in err, "a bad --color value: one line, exit 1")


# --- a real terminal: tmux runs dltdump in a pane; capture-pane -e shows the attributes.
panes = [0]


def pane(command, env_extra=None, middle=None):
    """Runs `command` in a new tmux pane; returns the screen (with attributes) when it is done
    or, with `middle` seconds, (a screen while it runs, the screen when done): the first
    screen from `middle` seconds on that shows a progress line, else the last one before the
    end. Looking until the end, not once at `middle`, keeps a slow start on a loaded machine
    (CI's, the command begun late) from hiding a line that comes, and gives a line that
    should not come every chance to show."""
    panes[0] += 1
    tmux = ["tmux", "-L", "dltdump-colour-%d-%d" % (os.getpid(), panes[0]), "-f", "/dev/null"]
    marker = os.path.join(work, "done")
    if os.path.exists(marker):
        os.remove(marker)
    env = ["env", "-u", "NO_COLOR", "TERM=xterm-256color"] + ["%s=%s" % kv for kv in (env_extra or {}).items()]
    shell = env + ["sh", "-c", command + "; touch " + marker + "; sleep 30"]
    subprocess.run(tmux + ["new-session", "-d", "-x", "250", "-y", "100"] + shell, check=True, env=ENV)
    capture = tmux + ["capture-pane", "-e", "-p", "-S", "-100"]
    try:
        began = time.monotonic()
        mid = None
        for _ in range(300):  # done within 30 s
            if os.path.exists(marker):
                break
            if middle is not None and time.monotonic() - began >= middle and (mid is None or not PROGRESS.search(mid)):
                mid = subprocess.run(capture, capture_output=True).stdout
            time.sleep(0.1)
        end = subprocess.run(capture, capture_output=True).stdout
        return end if middle is None else (mid, end)
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)


if shutil.which("tmux"):
    head = os.path.join(work, "head.dlt")
    # The first lines of the log as a file of their own: the whole output fits the pane.
    subprocess.run([dltgen, "--count", "60", "--seed", "5", "-o", head], check=True)
    screen = pane("TZ=UTC %s %s" % (dltdump, head))
    lines = [(t, c) for t, c in screen_lines(screen) if b" log " in t]
    check(len(lines) >= 50, "the terminal shows the lines: %d" % len(lines))
    for level in (b"log error", b"log warn", b"log fatal"):
        shown = [(t, c) for t, c in lines if level in t]
        check(shown and all(c for _, c in shown),
              "terminal: %s lines coloured: %r" % (level.decode(), [t for t, c in shown if not c][:2]))
    quiet = [c for t, c in lines if b"log info" in t or b"log debug" in t]
    check(quiet and not any(quiet), "terminal: info and debug lines not coloured")
    for label, command, env in (("NO_COLOR=1", "%s %s", {"NO_COLOR": "1"}), ("TERM=dumb", "%s %s", {"TERM": "dumb"}),
                                ("a pipe", "%s %s | cat", {}), ("--color=never", "%s --color=never %s", {})):
        screen = pane("TZ=UTC " + command % (dltdump, head), env)
        lines = [c for t, c in screen_lines(screen) if b" log " in t]
        check(len(lines) >= 50 and not any(lines),
              "terminal with %s: no colour" % label)
else:
    print("SKIP: tmux not installed: colour is not tried in a terminal")

# --- the progress line (--progress): on a terminal's standard error while a slow input is
# decoded into a file, cleared at the end; never where the lines go to the same terminal.
_, plain_log, _ = run(log)
PROGRESS = re.compile(rb"\[1/\d\] .*(B|KiB|MiB) ")
out_txt = os.path.join(work, "progress.txt")
_, plain, _ = run(big)
code, _, err = run("-f", "-o", out_txt, big)
check(code == 0 and err == b"", "auto: no progress when standard error is no terminal: %r" % err[:200])
code, _, err = run("--progress=always", "--threads=1", "-f", "-o", out_txt, "-", stdin=open(big, "rb").read())
check(code == 0 and open(out_txt, "rb").read() == plain, "--progress=always: the output is the same")
check(err == b"" or (err.endswith(b"\r\x1b[K") and b"\n" not in err), "--progress=always: redrawn in place, cleared: %r" % err[-200:])
# Bytes done move while a slow reader holds the output up (a capture notes its place per
# packet; a DLT file's per window of 32 MiB, larger than this test's).
net = os.path.join(work, "net.bin")
subprocess.run([dltgen, "--format", "net", "--count", "60000", "--seed", "8", "-o", net], check=True)
capture = os.path.join(work, "slow.pcapng")
subprocess.run([capgen, "--dlt", net, "--flows", "3", "--seed", "9", "-o", capture], check=True)
slow_reader = "import sys, time\nwhile sys.stdin.buffer.read(65536):\n    time.sleep(0.03)\n"
with open(os.path.join(work, "progress.err"), "wb") as err_file:
    writer = subprocess.Popen([dltdump, "--threads=1", "--progress=always", capture], stdout=subprocess.PIPE,
                              stderr=err_file, env=ENV)
    subprocess.run(["/usr/bin/python3", "-c", slow_reader], stdin=writer.stdout, check=True)
    writer.wait()
done = set(re.findall(rb"\] \S+  ([0-9.]+ [KMG]?i?B) of", open(os.path.join(work, "progress.err"), "rb").read()))
check(len(done) >= 2, "--progress with a slow reader: the bytes done move: %r" % sorted(done))

# A slow producer's lines show as they come: the output is flushed before a read that waits
# (a capture's parallel decoder decodes what it has batched first); and Ctrl-C while it waits
# keeps them.
for name, source, threads in (("a DLT file", log, "2"), ("a capture", capture, "2"), ("a capture", capture, "1")):
    _, whole, _ = run("--threads=" + threads, source)
    for stop in (False, True):
        producer = subprocess.Popen(["sh", "-c", "head -c 60000 %s; sleep 3; tail -c +60001 %s" % (source, source)],
                                    stdout=subprocess.PIPE)
        with open(out_txt, "wb") as out:
            consumer = subprocess.Popen([dltdump, "--threads=" + threads, "-"], stdin=producer.stdout, stdout=out, env=ENV)
            producer.stdout.close()
            time.sleep(1.5)
            early = open(out_txt, "rb").read()
            if stop:
                consumer.send_signal(signal.SIGINT)
            code = consumer.wait(30)
            producer.kill()
            producer.wait()
        final = open(out_txt, "rb").read()
        if stop:
            check(code == 130 and final == early and whole.startswith(final) and final.count(b"\n") > 100,
                  "%s from a slow pipe, %s threads, Ctrl-C while it waits: the lines decoded kept (%s, %d lines)"
                  % (name, threads, code, final.count(b"\n")))
        else:
            check(early.count(b"\n") > 100 and whole.startswith(early) and final == whole,
                  "%s from a slow pipe, %s threads: its first lines written before the pause ends (%d lines)"
                  % (name, threads, early.count(b"\n")))

if shutil.which("tmux"):
    half = os.path.getsize(big) // 2
    slow = "{ head -c %d %s; sleep 4; tail -c +%d %s; }" % (half, big, half + 1, big)
    mid, end = pane("%s | TZ=UTC %s - -f -o %s; echo EXIT=$?" % (slow, dltdump, out_txt), middle=2.5)
    check(PROGRESS.search(mid or b"") is not None and b"[1/1] -" in mid, "terminal: a progress line while a slow pipe is read: %r" % (mid or b"")[:300])
    check(b"EXIT=0" in end and PROGRESS.search(end) is None, "terminal: the progress line cleared at the end: %r" % end[:300])
    check(open(out_txt, "rb").read() == plain, "terminal: the output file is the same with the progress line")
    # A failing input after the slow one: its message is a line of its own.
    mid, end = pane("%s | TZ=UTC %s - %s/missing.dlt -f -o %s; echo EXIT=$?" % (slow, dltdump, work, out_txt), middle=2.5)
    error_lines = [l for l in SGR.sub(b"", end).split(b"\n") if b"missing.dlt" in l]
    check(PROGRESS.search(mid or b"") is not None, "terminal: progress with two inputs")
    check(len(error_lines) == 1 and error_lines[0].startswith(b"File not found") and b"EXIT=4" in end,
          "terminal: the failure is a line of its own: %r" % end[:400])
    # Standard output to a file: progress; into a pipe (whose reader, less or grep, most
    # often writes to the same terminal) or on the terminal: none through the lines.
    mid, end = pane("%s | TZ=UTC %s - > %s; echo EXIT=$?" % (slow, dltdump, out_txt), middle=2.5)
    check(PROGRESS.search(mid or b"") is not None and PROGRESS.search(end) is None,
          "terminal: progress when standard output is a file, cleared at the end")
    mid, end = pane("%s | TZ=UTC %s - | cat > /dev/null; echo EXIT=$?" % (slow, dltdump), middle=2.5)
    check(PROGRESS.search(mid or b"") is None, "terminal: no progress when standard output is a pipe")
    mid, end = pane("%s | TZ=UTC %s -; echo EXIT=$?" % (slow, dltdump), middle=2.5)
    check(PROGRESS.search(mid or b"") is None and PROGRESS.search(end) is None, "terminal: no progress through the lines")
    mid, end = pane("%s | TZ=UTC %s --progress=never - -f -o %s; echo EXIT=$?" % (slow, dltdump, out_txt), middle=2.5)
    check(PROGRESS.search(mid or b"") is None, "terminal: --progress=never")
    # A terminal narrower than 20 columns: no line at all (it would wrap on every redraw).
    mid, end = pane("stty cols 15; %s | TZ=UTC %s --progress=always - -f -o %s; echo EXIT=$?" % (slow, dltdump, out_txt),
                    middle=2.5)
    check(b"MiB" not in (mid or b"") and b"KiB" not in (mid or b"") and b"EXIT=0" in end,
          "terminal: no progress line on 15 columns: %r" % (mid or b"")[:200])
else:
    print("SKIP: tmux not installed: the progress line is not tried in a terminal")

finish()
