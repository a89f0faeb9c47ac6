#!/usr/bin/python3
"""Issue #27 (scope 5): the Debian package that CPack builds from the build tree.

The package is built (cpack), checked by lintian (no error; warnings are listed), holds
the program, the library with its SONAME link, headers, CMake package, pkg-config file,
man page, completions and copyright, and its program runs from the unpacked tree.
With DLTDUMP_DEB_INSTALL=1 (set by .ci/run; it changes the machine, so not by default)
and as root, the package is installed with dpkg -i, `dltdump --version`, `man -w
dltdump` and `pkg-config` are tried on the installed files, and the package is removed.

Usage: deb_test.py BUILD_DIR WORK_DIR
A tool that is not installed (lintian, man) skips its part with a visible message."""
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cli_checks import check, finish, fresh_dir  # noqa: E402

build, work = sys.argv[1], fresh_dir(sys.argv[2])


def run(*cmd, **kw):
    return subprocess.run(list(cmd), capture_output=True, text=True, **kw)


r = run("cpack", "--config", os.path.join(build, "CPackConfig.cmake"), "-B", work)
if not check(r.returncode == 0, "cpack: " + r.stdout[-2000:] + r.stderr[-2000:]):
    finish()
debs = glob.glob(os.path.join(work, "dltdump_*.deb"))
if not check(len(debs) == 1, "one package made: %s" % debs):
    finish()
deb = debs[0]
version = run("dpkg-deb", "--field", deb, "Version").stdout.strip()
check(re.fullmatch(r"\d+\.\d+\.\d+-\d+", version) is not None, "package version: " + version)

# --- what it holds
listing = run("dpkg-deb", "--contents", deb).stdout
paths = {line.split()[5].lstrip(".") for line in listing.splitlines() if len(line.split()) >= 6}
for p in ("/usr/bin/dltdump", "/usr/lib/libdltdump.so.0.1", "/usr/lib/libdltdump.so",
          "/usr/include/dltdump/dltdump.hpp", "/usr/include/dltdump/dltdump.h",
          "/usr/lib/cmake/dltdump/dltdumpConfig.cmake", "/usr/lib/pkgconfig/dltdump.pc",
          "/usr/share/man/man1/dltdump.1.gz", "/usr/share/doc/dltdump/copyright",
          "/usr/share/doc/dltdump/changelog.Debian.gz",
          "/usr/share/bash-completion/completions/dltdump", "/usr/share/zsh/site-functions/_dltdump",
          "/usr/share/fish/vendor_completions.d/dltdump.fish"):
    check(p in paths, "the package holds " + p)
check(not any(p.startswith("/usr/local") for p in paths), "nothing under /usr/local")
python_built = os.path.isdir(os.path.join(build, "python", "dltdump"))
if python_built:
    check("/usr/lib/python3/dist-packages/dltdump/__init__.py" in paths, "the package holds the Python module")
    check(any(re.fullmatch(r"/usr/lib/python3/dist-packages/dltdump/_dltdump\..*\.so", p) for p in paths),
          "the package holds the Python extension")
    check("python3 (<<" in run("dpkg-deb", "--field", deb, "Depends").stdout, "Depends names the Python version")
depends = run("dpkg-deb", "--field", deb, "Depends").stdout
for lib in ("libc6", "libpcre2-8-0", "libpugixml1v5", "libzstd1"):
    check(lib in depends, "Depends names %s (dpkg-shlibdeps): %s" % (lib, depends.strip()))

# --- the unpacked program runs and is the one built; its binaries are stripped
unpacked = os.path.join(work, "unpacked")
check(run("dpkg-deb", "-x", deb, unpacked).returncode == 0, "dpkg-deb -x")
program = os.path.join(unpacked, "usr", "bin", "dltdump")
r = run(program, "--version")
check(r.returncode == 0 and r.stdout.startswith("dltdump Version: " + version.split("-")[0]),
      "the packaged dltdump --version: %r" % r.stdout[:200])
for f in (program, os.path.join(unpacked, "usr", "lib", "libdltdump.so.0.1")):
    sections = run("readelf", "-S", "-W", f).stdout
    check(".debug_info" not in sections, "stripped: " + f)

# --- lintian: no error
if shutil.which("lintian"):
    r = run("lintian", "--fail-on", "error", "--no-tag-display-limit", deb)
    tags = [line for line in r.stdout.splitlines() if re.match(r"[EWIP]: ", line)]
    errors = [t for t in tags if t.startswith("E: ")]
    check(r.returncode == 0 and not errors, "lintian reports no error: %s %s" % (errors, r.stderr[-500:]))
    print("lintian: %d errors, %d warnings" % (len(errors), sum(t.startswith("W: ") for t in tags)))
    for t in tags:
        print("  " + t)
else:
    print("SKIP: lintian not installed (Debian: lintian): the package is not linted")

# --- installed on this machine (CI only: it changes /usr)
if os.environ.get("DLTDUMP_DEB_INSTALL") == "1" and os.geteuid() == 0:
    r = run("dpkg", "-i", deb)
    try:
        check(r.returncode == 0, "dpkg -i: " + r.stderr[-2000:])
        r = run("/usr/bin/dltdump", "--version")
        check(r.returncode == 0 and version.split("-")[0] in r.stdout, "installed dltdump --version: " + r.stdout[:200])
        if shutil.which("man"):
            r = run("man", "-w", "dltdump")
            check(r.returncode == 0 and r.stdout.strip() == "/usr/share/man/man1/dltdump.1.gz",
                  "man -w dltdump: %r %r" % (r.stdout, r.stderr))
        else:
            print("SKIP: man not installed: man -w not tried")
        if shutil.which("pkg-config"):
            r = run("pkg-config", "--modversion", "dltdump")
            check(r.stdout.strip() == version.split("-")[0], "pkg-config --modversion dltdump: " + r.stdout + r.stderr)
        if python_built:
            r = run("/usr/bin/python3", "-c", "import dltdump, sys; print(dltdump.__file__)", env={"PATH": "/usr/bin:/bin"})
            check(r.returncode == 0 and r.stdout.startswith("/usr/lib/python3/dist-packages/dltdump/"),
                  "the installed module imports: %r %r" % (r.stdout, r.stderr[-500:]))
        r = run("dpkg", "-s", "dltdump")
        check("Status: install ok installed" in r.stdout, "dpkg -s: installed")
    finally:
        r = run("dpkg", "--purge", "dltdump")
        check(r.returncode == 0 and not os.path.exists("/usr/bin/dltdump"), "dpkg --purge: " + r.stderr[-500:])
        check(not os.path.exists("/usr/lib/python3/dist-packages/dltdump"),
              "dpkg --purge leaves nothing of the Python module (its __pycache__ too)")
else:
    print("SKIP: the package is not installed here (DLTDUMP_DEB_INSTALL=1 as root does: CI)")
finish()
