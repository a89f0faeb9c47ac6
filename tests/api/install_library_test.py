#!/usr/bin/python3
"""Issue #27 (phase 1): the library as a user gets it. `cmake --install` into a temporary
prefix puts the shared library (with its SONAME), the headers, the CMake package and the
pkg-config file in place; the library exports only the public API; the examples of
examples/library are built as an outside project against the installed package, once with
find_package and once with pkg-config, run on a file dltgen makes, and print what the
command line prints for the same file and filter (its JSON records, put in the examples'
line format).

Usage: install_library_test.py SOURCE_DIR BUILD_DIR WORK_DIR"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cli_checks import ENV, check, finish  # noqa: E402

source, build, work = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
prefix = os.path.join(work, "prefix")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


r = run(["cmake", "--install", build, "--prefix", prefix])
if not check(r.returncode == 0, "cmake --install: " + r.stderr):
    finish()

# --- what is installed
libs = glob.glob(os.path.join(prefix, "lib*", "**", "libdltdump.so*"), recursive=True)
real = [p for p in libs if not os.path.islink(p)]
check(len(real) == 1, "one shared library installed: %s" % libs)
libdir = os.path.dirname(real[0]) if real else prefix
for name in ("libdltdump.so", "libdltdump.so.0.1"):
    check(os.path.islink(os.path.join(libdir, name)), "the link " + name)
for header in ("dltdump.hpp", "dltdump.h", "reader.hpp", "message.hpp", "filter.hpp", "version.hpp", "export.hpp",
               "dump.hpp"):
    check(os.path.isfile(os.path.join(prefix, "include", "dltdump", header)), "header " + header)
check(not glob.glob(os.path.join(prefix, "include", "dltdump", "*.in")), "no template header installed")
pc = os.path.join(libdir, "pkgconfig", "dltdump.pc")
config = os.path.join(libdir, "cmake", "dltdump", "dltdumpConfig.cmake")
check(os.path.isfile(pc) and os.path.isfile(config), "pkg-config file and CMake package")
check(os.path.isfile(os.path.join(prefix, "bin", "dltdump")), "the program too")
if real:
    r = run(["readelf", "-d", real[0]])
    check("Library soname: [libdltdump.so.0.1]" in r.stdout, "SONAME libdltdump.so.0.1")
    # Only the public API: dltdump:: names outside the internal layers' namespaces, and
    # the C functions (typeinfo and vtable of dltdump::Error).
    r = run(["nm", "-D", "--defined-only", "-C", real[0]])
    internal = re.compile(r"dltdump::(util|dlt|aio|net|pcap|dissect|filter|output|input|app|fibex|api|cli)::")
    bad = []
    for line in r.stdout.splitlines():
        symbol = line.split(" ", 2)[2] if line.count(" ") >= 2 else line
        public = (symbol.startswith("dltdump::") or symbol.startswith("dltdump_")
                  or re.match(r"(typeinfo|typeinfo name|vtable) for dltdump::", symbol))
        if not public or internal.search(symbol.split("(")[0]):
            bad.append(symbol)
    check(r.stdout.count("\n") > 50 and not bad, "only the public API is exported: %s" % bad[:10])

# --- a file and what the command line says of it
dltgen = os.path.join(build, "tools", "dltgen")
dltdump = os.path.join(prefix, "bin", "dltdump")
trip = os.path.join(work, "trip.dlt")
r = run([dltgen, "--count", "3000", "--seed", "27", "-o", trip])
check(r.returncode == 0, "dltgen: " + r.stderr)
records = [json.loads(line) for line in run([dltdump, "--out=json", trip], env=ENV).stdout.splitlines()]
messages = [m for m in records if m["record"] == "message"]
apps = sorted({m["app"] for m in messages if m["type"] == "log" and m["mtin"] <= 3})
check(len(messages) == 3000 and apps, "the command line reads the file: %d messages" % len(messages))
app = apps[0] if apps else "NAV"


def cli_lines(app_filter, level, level_number):
    """What the examples must print: the CLI's records for --appid and --level."""
    r = run([dltdump, "--out=json", "--appid=" + app_filter, "--level=" + level, trip], env=ENV)
    check(r.returncode == 0, "dltdump --appid --level: " + r.stderr)
    cpp, c = [], []
    for line in r.stdout.splitlines():
        m = json.loads(line)
        if m["record"] != "message":
            continue
        type_text = m["type"] + (" " + m["subtype"] if m.get("subtype") else "")
        head = "%d %d %s %s %s" % (m["time_us"], m["counter"], m["ecu"], m["app"], m["ctx"])
        cpp.append("%s %s %s" % (head, type_text, m["text"]))
        c.append("%s %d %s" % (head, m["mtin"] if m["type"] == "log" else 0, m["text"]))
    return cpp, c


want_cpp, want_c = cli_lines(app, "warn", 3)
check(len(want_cpp) > 10, "the filter selects some messages: %d" % len(want_cpp))

env = dict(ENV, LD_LIBRARY_PATH=libdir)

# A non-verbose log and its FIBEX catalogue (nvgen), and what dltdump -F makes of it.
catalogue = os.path.join(work, "fibex")
nv_log = os.path.join(work, "nv.dlt")
r = run([os.path.join(build, "tools", "nvgen"), "--catalogue", catalogue, "-o", nv_log])
check(r.returncode == 0, "nvgen: " + r.stderr)
want_fibex = []
for line in run([dltdump, "--out=json", "-F", catalogue, nv_log], env=ENV).stdout.splitlines():
    m = json.loads(line)
    if m["record"] == "message":
        type_text = (m["type"] or "") + (" " + m["subtype"] if m.get("subtype") else "")
        want_fibex.append("%d %d %s %s %s %s %s" % (m["time_us"], m["counter"], m["ecu"], m["app"], m["ctx"],
                                                   type_text, m["text"]))
check(len(want_fibex) > 10 and any("[" in w for w in want_fibex), "the catalogue's log: %d messages" % len(want_fibex))


def compare(kind, cpp_program, c_program):
    for program, want, args in ((cpp_program, want_cpp, [trip, app, "warn"]), (c_program, want_c, [trip, app, "3"])):
        r = run([program] + args, env=env)
        got = r.stdout.splitlines()
        first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), None)
        check(r.returncode == 0 and got == want,
              "%s: %s prints what the command line prints (%d lines, %d expected; first difference %s: %r vs %r) %s"
              % (kind, os.path.basename(program), len(got), len(want), first,
                 got[first] if first is not None else "", want[first] if first is not None else "", r.stderr))
    # Standard input: a pipe, read in windows the batches must not outlive.
    with open(trip, "rb") as f:
        r = subprocess.run(["sh", "-c", 'cat | "$0" - "$1" warn', cpp_program, app], stdin=f, capture_output=True,
                           text=True, env=env)
    check(r.returncode == 0 and r.stdout.splitlines() == want_cpp, "%s: a pipe reads the same: %s" % (kind, r.stderr))
    # FIBEX: non-verbose messages described by nvgen's catalogue, as dltdump -F shows them.
    r = run([cpp_program, "-F", catalogue, nv_log], env=env)
    check(r.returncode == 0 and r.stdout.splitlines() == want_fibex,
          "%s: with -F, the catalogue's texts (%d lines, %d expected) %s" % (kind, r.stdout.count("\n"), len(want_fibex),
                                                                             r.stderr))
    r = run([cpp_program, os.path.join(work, "missing.dlt")], env=env)
    check(r.returncode == 1 and "missing.dlt" in r.stderr, "%s: an error names the input: %s" % (kind, r.stderr))


def compare_writer(kind, c_program):
    """write_log_c writes what `dltdump --level=warn -o` writes, for each kind of file."""
    for name in ("out.dlt", "out.pcapng", "out.jsonl", "out.csv", "out.txt"):
        folder = os.path.join(work, "written-" + kind)
        os.makedirs(os.path.join(folder, "api"), exist_ok=True)
        os.makedirs(os.path.join(folder, "cli"), exist_ok=True)
        api, cli = os.path.join(folder, "api", name), os.path.join(folder, "cli", name)
        r = run([c_program, trip, api, "3"], env=env)
        r2 = run([dltdump, "--level=warn", trip, "-o", cli], env=ENV)
        same = r.returncode == 0 and r2.returncode == 0 and open(api, "rb").read() == open(cli, "rb").read()
        check(same, "%s: write_log_c writes %s as dltdump -o does: %s %s" % (kind, name, r.stderr, r2.stderr))
    r = run([c_program, trip, os.path.join(folder, "api", "out.dlt")], env=env)
    check(r.returncode == 1 and "already exists" in r.stderr, "%s: an existing file is refused: %s" % (kind, r.stderr))
    # Its input named in dltdump_writer_options_input: never written, as -o never writes it.
    link = os.path.join(folder, "trip-link.dlt")
    if not os.path.lexists(link):
        os.symlink(trip, link)
    r = run([c_program, trip, link], env=env)
    check(r.returncode == 1 and "Not overwriting the input file" in r.stderr,
          "%s: the input is not written over: %s" % (kind, r.stderr))


def compare_dump(kind, program):
    """run_dump writes the files by lifecycle `dltdump --level=warn -o '<folder>/%FILE%_%LC%.dlt'` writes."""
    folder = os.path.join(work, "dumped-" + kind)
    api, cli = os.path.join(folder, "api"), os.path.join(folder, "cli")
    os.makedirs(api)
    os.makedirs(cli)
    r = run([program, api, trip, restarted], env=env)
    r2 = run([dltdump, "--level=warn", "-o", os.path.join(cli, "%FILE%_%LC%.dlt"), trip, restarted], env=ENV)
    names = sorted(os.listdir(cli))
    check(r.returncode == 0 and r2.returncode == 0 and len(names) >= 3 and sorted(os.listdir(api)) == names and
          all(open(os.path.join(api, n), "rb").read() == open(os.path.join(cli, n), "rb").read() for n in names),
          "%s: run_dump writes the files of %%LC%% as dltdump does (%s): %s %s" % (kind, names, r.stderr, r2.stderr))
    r = run([program, api, "tcp://a", trip], env=env)
    check(r.returncode == 1 and r.stderr == "run_dump: Only one input argument allowed for live streams.\n",
          "%s: the Dump refuses what the command line refuses: %s" % (kind, r.stderr))


restarted = os.path.join(work, "restarted.dlt")
r = run([dltgen, "--count", "3000", "--seed", "5", "--timeline", "--restart-every", "1000", "-o", restarted])
check(r.returncode == 0, "dltgen --restart-every: " + r.stderr)

# --- the Python module (when the build has it): the installed package imports from its
# dist-packages folder with nothing but PYTHONPATH, finds the installed libdltdump.so
# through its RUNPATH, exports only its init function and reads what the command line reads.
if glob.glob(os.path.join(build, "python", "dltdump", "_dltdump*.so")):
    extension = glob.glob(os.path.join(prefix, "lib*", "python3", "dist-packages", "dltdump", "_dltdump*.so"))
    if check(len(extension) == 1, "the Python extension installed: %s" % extension):
        site = os.path.dirname(os.path.dirname(extension[0]))
        for name in ("__init__.py", "dask.py", "_dltdump.pyi", "py.typed"):
            check(os.path.isfile(os.path.join(site, "dltdump", name)), "the Python package's " + name)
        r = run(["nm", "-D", "--defined-only", extension[0]])
        check(r.stdout.split()[2::3] == ["PyInit__dltdump"], "the extension exports only PyInit__dltdump: " + r.stdout)
        py_env = {k: v for k, v in ENV.items() if k not in ("LD_LIBRARY_PATH", "PYTHONPATH")}
        py_env["PYTHONPATH"] = site
        r = run(["/usr/bin/python3", "-c", "import dltdump, sys, json\n"
                 "print(dltdump.__file__)\n"
                 "print(json.dumps([m.text for m in dltdump.open(sys.argv[1])]))", trip], env=py_env)
        lines = r.stdout.splitlines()
        check(r.returncode == 0 and lines and lines[0].startswith(site),
              "import dltdump from the installed package: " + r.stdout[:300] + r.stderr)
        check(r.returncode == 0 and json.loads(lines[-1]) == [m["text"] for m in messages],
              "the installed module reads what the command line reads")
        r = run(["/usr/bin/python3", "-c", "import dltdump\nprint(dltdump._dltdump.__file__)\n"
                 "print(open('/proc/self/maps').read())"], env=py_env)
        check(real and os.path.realpath(real[0]) in r.stdout, "the extension loads the installed libdltdump.so")

# --- find_package: the examples as a project of their own
examples = os.path.join(source, "examples", "library")
out = os.path.join(work, "examples-cmake")
# A sanitized library: the examples are built with the same sanitizer (its runtime first).
sanitizer = os.environ.get("DLTDUMP_SANITIZER_FLAGS", "").split()
flags_args = ["-DCMAKE_C_FLAGS=" + " ".join(sanitizer), "-DCMAKE_CXX_FLAGS=" + " ".join(sanitizer)]
r = run(["cmake", "-S", examples, "-B", out, "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + prefix] + flags_args)
if check(r.returncode == 0, "configure the examples with find_package: " + r.stdout[-2000:] + r.stderr):
    r = run(["cmake", "--build", out])
    if check(r.returncode == 0, "build the examples: " + r.stdout[-3000:]):
        compare("find_package", os.path.join(out, "read_log"), os.path.join(out, "read_log_c"))
        compare_writer("find_package", os.path.join(out, "write_log_c"))
        compare_dump("find_package", os.path.join(out, "run_dump"))

# --- pkg-config
if shutil.which("pkg-config"):
    pkg_env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pc))
    r = run(["pkg-config", "--cflags", "--libs", "dltdump"], env=pkg_env)
    check(r.returncode == 0 and "-ldltdump" in r.stdout, "pkg-config --cflags --libs dltdump: " + r.stdout + r.stderr)
    r2 = run(["pkg-config", "--modversion", "dltdump"], env=pkg_env)
    check(r2.stdout.strip() != "", "pkg-config --modversion: " + r2.stdout)
    flags = r.stdout.split() + sanitizer
    out = os.path.join(work, "examples-pkg-config")
    os.makedirs(out)
    cpp = os.path.join(out, "read_log")
    c = os.path.join(out, "read_log_c")
    r = run(["c++", "-std=c++20", "-o", cpp, os.path.join(examples, "read_log.cpp")] + flags)
    r2 = run(["cc", "-std=c99", "-Wall", "-Werror", "-o", c, os.path.join(examples, "read_log.c")] + flags)
    w = os.path.join(out, "write_log_c")
    r3 = run(["cc", "-std=c99", "-Wall", "-Werror", "-o", w, os.path.join(examples, "write_log.c")] + flags)
    d = os.path.join(out, "run_dump")
    r4 = run(["c++", "-std=c++20", "-o", d, os.path.join(examples, "run_dump.cpp")] + flags)
    if check(r.returncode == 0 and r2.returncode == 0 and r3.returncode == 0 and r4.returncode == 0,
             "build with pkg-config flags: " + r.stderr + r2.stderr + r3.stderr + r4.stderr):
        compare("pkg-config", cpp, c)
        compare_writer("pkg-config", w)
        compare_dump("pkg-config", d)
else:
    print("SKIP: pkg-config not installed")
finish()
