#!/usr/bin/python3
"""Issue #23 (scope 7): the man page and the shell completions that cmake --install puts in
place. The page renders with man and groff without a warning and lists every option the help
lists; bash, zsh and fish load their completion and complete options, the values of options
with a fixed set of values (after `=`, as the next word, after a comma in a list) and paths.

Usage: install_docs_test.py BUILD_DIR WORK_DIR
A shell or tool that is not installed skips its part with a visible message."""
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_checks import ENV, check, finish  # noqa: E402

build, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
prefix = os.path.join(work, "prefix")
r = subprocess.run(["cmake", "--install", build, "--prefix", prefix], capture_output=True, text=True)
if not check(r.returncode == 0, "cmake --install: " + r.stderr):
    finish()

# The user's documents beside the copyright, each one the sources' (a new user found only
# the copyright there, while --help and the man page point to the manual).
docdir = os.path.join(prefix, "share", "doc", "dltdump")
docs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs")
for name in ("manual.md", "deviations.md", "json-records.md", "json-records.schema.json", "statistics.md",
             "stats.schema.json", "sorting.md", "library.md", "python.md", "packet-io.md"):
    installed = os.path.join(docdir, name)
    check(os.path.isfile(installed) and open(installed, "rb").read() == open(os.path.join(docs, name), "rb").read(),
          "installed documents: %s in %s" % (name, docdir))
# Every link from one installed document to another finds it there (a new user found links
# to documents that stay in the sources).
for name in sorted(os.listdir(docdir)):
    if name.endswith(".md"):
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", open(os.path.join(docdir, name), encoding="utf-8").read()):
            check(os.path.isfile(os.path.join(docdir, target)), "%s links to %s, which is installed" % (name, target))

dltdump = os.path.join(prefix, "bin", "dltdump")
page = os.path.join(prefix, "share", "man", "man1", "dltdump.1")
bash_completion = os.path.join(prefix, "share", "bash-completion", "completions", "dltdump")
zsh_completion = os.path.join(prefix, "share", "zsh", "site-functions", "_dltdump")
fish_completion = os.path.join(prefix, "share", "fish", "vendor_completions.d", "dltdump.fish")
for f in (dltdump, page, bash_completion, zsh_completion, fish_completion):
    check(os.path.isfile(f), "installed: " + f)

help_text = subprocess.run([dltdump, "--help"], capture_output=True, text=True, env=ENV).stdout
# The options' lines: `  -o, --output=<file> - …`, `  --verbose, --nonverbose, --control - …`.
long_options = sorted({name for line in help_text.split("\n") if re.match(r"  -", line)
                       for name in re.findall(r"--([a-z][a-z0-9-]*)", line.split(" - ")[0])})
check(len(long_options) > 30, "the help lists the options: %d" % len(long_options))
# What the completions must offer: the values of options with a fixed set (the manual's).
CHOICES = {
    "format": ["auto", "file", "ser", "net", "pcap"],
    "out": ["text", "json", "csv"],
    "stats": ["text", "json"],
    "generate": ["man", "complete-bash", "complete-zsh", "complete-fish"],
}

# --- the man page: renders without a warning, lists every option, matches --generate=man.
generated = subprocess.run([dltdump, "--generate=man"], capture_output=True, text=True).stdout
check(generated == open(page).read(), "the installed page is the one --generate=man prints")
if shutil.which("groff"):
    r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page], capture_output=True, text=True)
    check(r.returncode == 0 and r.stderr == "", "groff -ww warns about nothing: " + r.stderr[:500])
else:
    print("SKIP: groff not installed: the page is not checked for warnings")
if shutil.which("man"):
    r = subprocess.run(["man", "-l", page], capture_output=True, text=True, env=dict(ENV, MANWIDTH="100", MANPAGER="cat", PAGER="cat"))
    text = r.stdout.replace("\u2010", "-").replace("\u2212", "-")
    check(r.returncode == 0 and "NAME" in text and "EXIT STATUS" in text, "man -l renders the page")
    for name in long_options:
        check("--" + name in text, "the man page lists --" + name)
    for code in ("0", "1", "2", "3", "4", "5", "6", "130", "143", "255"):
        check(re.search(r"^\s+%s\s*$|^\s+%s\s{2,}" % (code, code), text, re.M) is not None, "exit status %s" % code)
    # Through MANPATH as a user finds it after cmake --install.
    r = subprocess.run(["man", "-w", "dltdump"], capture_output=True, text=True,
                       env=dict(ENV, MANPATH=os.path.join(prefix, "share", "man")))
    check(r.stdout.strip() == page, "man -w finds the installed page: " + r.stdout + r.stderr)
else:
    print("SKIP: man not installed: the page is not rendered")

# Files to complete paths among.
files = os.path.join(work, "files")
os.makedirs(files)
for name in ("trip.dlt", "trip.pcapng", "other.txt"):
    open(os.path.join(files, name), "w").close()


# --- bash: the completion function with COMP_LINE/COMP_POINT as bash sets them.
def bash_complete(line, wordbreaks=None):
    script = 'source "$1"; COMP_LINE=$2; COMP_POINT=${#2}; %s_dltdump; printf "%%s\\n" "${COMPREPLY[@]}"' % (
        "COMP_WORDBREAKS=$3; " if wordbreaks is not None else "")
    args = ["bash", "--norc", "-c", script, "bash", bash_completion, line] + ([wordbreaks] if wordbreaks is not None else [])
    r = subprocess.run(args, capture_output=True, text=True, cwd=files)
    check(r.returncode == 0 and r.stderr == "", "bash %r: %s" % (line, r.stderr))
    return [w for w in r.stdout.split("\n") if w]


got = bash_complete("dltdump --")
for name in long_options:
    check("--" + name in got or "--" + name + "=" in got, "bash offers --" + name)
check(bash_complete("dltdump --sta") == ["--stats", "--stats="], "bash --sta")
for name, values in CHOICES.items():
    check(sorted(bash_complete("dltdump --%s=" % name)) == sorted(values), "bash --%s= offers %s" % (name, values))
    check(sorted(bash_complete("dltdump --%s=" % name, wordbreaks=" \t\n")) == sorted("--%s=%s" % (name, v) for v in values),
          "bash --%s= without = in COMP_WORDBREAKS" % name)
check(bash_complete("dltdump --format ") == CHOICES["format"], "bash --format <value>")
check(bash_complete("dltdump --type=warn,er") == ["warn,error"], "bash: a list's item after a comma")
check(sorted(bash_complete("dltdump -o trip")) == ["trip.dlt", "trip.pcapng"], "bash -o: paths")
check(sorted(bash_complete("dltdump --fibex=tr")) == ["trip.dlt", "trip.pcapng"], "bash --fibex=: paths")
check(sorted(bash_complete("dltdump --appid=NAV tr")) == ["trip.dlt", "trip.pcapng"], "bash: inputs are paths")
check(bash_complete("dltdump --threads=") == [], "bash: a free value offers nothing")
os.makedirs(os.path.join(files, "my dir"))
open(os.path.join(files, "my dir", "trip.dlt"), "w").close()
check(bash_complete("dltdump my\\ dir/tr") == ["my dir/trip.dlt"], "bash: a path with a space")
r = subprocess.run(["bash", "--norc", "-c", 'kind=mine list=(a b) choices=x; source "$1"; COMP_LINE="dltdump --type=warn,er"; '
                    'COMP_POINT=${#COMP_LINE}; _dltdump; echo "$kind ${list[*]} $choices"', "bash", bash_completion],
                   capture_output=True, text=True)
check(r.stdout == "mine a b x\n", "bash: the user's variables are left alone: %r" % r.stdout)

# --- fish: complete -C prints what fish would offer.
if shutil.which("fish"):
    def fish_complete(line):
        r = subprocess.run(["fish", "--no-config", "-c", 'source $argv[1]; complete -C $argv[2]', fish_completion, line],
                           capture_output=True, text=True, cwd=files)
        check(r.returncode == 0 and r.stderr == "", "fish %r: %s" % (line, r.stderr))
        return [w.split("\t")[0] for w in r.stdout.split("\n") if w]
    got = fish_complete("dltdump --")
    for name in long_options:
        check("--" + name in got, "fish offers --" + name)
    for name, values in CHOICES.items():
        check(sorted(fish_complete("dltdump --%s=" % name)) == sorted("--%s=%s" % (name, v) for v in values),
              "fish --%s= offers %s" % (name, values))
    check(sorted(fish_complete("dltdump -o trip")) == ["trip.dlt", "trip.pcapng"], "fish -o: paths")
    check(fish_complete("dltdump --type=warn,er") == ["--type=warn,error"], "fish: a list's item after a comma")
    check("--type=fatal" in fish_complete("dltdump --type=fa"), "fish: a list's first item")
else:
    print("SKIP: fish not installed: its completion is not tried")


# --- zsh: a real interactive shell in tmux; Tab typed, the screen read.
zsh_runs = [0]


def zsh_screen(typed, tabs):
    zsh_runs[0] += 1
    # A tmux server of its own (-L), started with the shell's environment on its command line.
    tmux = ["tmux", "-L", "dltdump-test-%d-%d" % (os.getpid(), zsh_runs[0]), "-f", "/dev/null"]
    session = "zsh"
    zdot = os.path.join(work, "zdot")
    os.makedirs(zdot, exist_ok=True)
    with open(os.path.join(zdot, ".zshrc"), "w") as f:
        f.write("fpath=(%s $fpath)\nautoload -U compinit && compinit -u\nPS1='%%%% '\ncd %s\n" % (
            os.path.dirname(zsh_completion), files))
    shell = ["env", "ZDOTDIR=" + zdot, "PATH=" + os.path.dirname(dltdump) + ":" + ENV["PATH"], "zsh", "-i"]
    subprocess.run(tmux + ["new-session", "-d", "-s", session, "-x", "160", "-y", "40"] + shell, check=True)
    try:
        screen = ""
        for _ in range(100):  # the prompt, within 10 s
            time.sleep(0.1)
            screen = subprocess.run(tmux + ["capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout
            if "%" in screen:
                break
        subprocess.run(tmux + ["send-keys", "-t", session, typed], check=True)
        typed_screen = ""
        for _ in range(40):  # the typed line echoed, within 10 s
            time.sleep(0.1)
            typed_screen = subprocess.run(tmux + ["capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout
            if typed in typed_screen:
                break
        for _ in range(tabs):
            subprocess.run(tmux + ["send-keys", "-t", session, "Tab"], check=True)
        for _ in range(40):  # the completion, within 10 s
            time.sleep(0.25)
            screen = subprocess.run(tmux + ["capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout
            if screen != typed_screen:
                time.sleep(0.25)  # a menu may still be drawing
                screen = subprocess.run(tmux + ["capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout
                break
        return screen
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)


if shutil.which("zsh") and shutil.which("tmux"):
    screen = zsh_screen("dltdump --form", 1)
    check("dltdump --format=" in screen, "zsh completes --form to --format=: " + screen.strip()[:300])
    screen = zsh_screen("dltdump --format=", 1)
    check(all(v in screen.split() for v in CHOICES["format"]), "zsh lists --format's values: " + screen.strip()[:300])
    screen = zsh_screen("dltdump -o trip.pc", 1)
    check("trip.pcapng" in screen, "zsh completes -o's path: " + screen.strip()[:300])
else:
    print("SKIP: zsh or tmux not installed: the zsh completion is not tried")

finish()
