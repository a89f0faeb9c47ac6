"""What the Python tests of the command line share (records_test.py, stats_test.py, …):
checks counted and reported, dltdump run with TZ=UTC, and JSON Schema validators."""
import json
import os
import shutil
import subprocess
import sys

ENV = dict(os.environ, TZ="UTC")
# A sanitizer build (tests/CMakeLists.txt sets DLTDUMP_SANITIZED=1 there): the binary runs
# 10-20 times slower and its memory use means nothing.
SANITIZED = bool(os.environ.get("DLTDUMP_SANITIZED"))
_counts = {"checks": 0, "failures": 0}


def check(ok, what):
    """Counts a check; prints `what` when `ok` is false. Returns `ok`."""
    _counts["checks"] += 1
    if not ok:
        _counts["failures"] += 1
        print("FAIL:", what)
    return ok


def sampled(cases, every=3):
    """`cases` (a list), or in a sanitizer build every `every`-th of them, the last one too:
    each kind of case still runs under the sanitizer, the full product in the release build."""
    if not SANITIZED or len(cases) <= 2:
        return cases
    picked = cases[::every]
    return picked if (len(cases) - 1) % every == 0 else picked + cases[-1:]


def fresh_dir(path):
    """Empties (or makes) the directory `path` for a test's files; returns it."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def runner(dltdump):
    """run(*args, stdin=None) -> (exit code, stdout, stderr) of `dltdump` with those args."""
    def run(*args, stdin=None):
        r = subprocess.run([dltdump, *args], capture_output=True, env=ENV, input=stdin)
        return r.returncode, r.stdout, r.stderr
    return run


def schema_validator(schema_path):
    """A validator of the JSON Schema at `schema_path` (checked itself first), or None, said
    on standard output, when Debian's python3-jsonschema is not installed."""
    try:
        import jsonschema
    except ImportError:
        print("SKIP schema checks: python3-jsonschema is not installed")
        return None
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def finish():
    """Prints the tally and exits 1 if any check failed."""
    print("%d checks, %d failed" % (_counts["checks"], _counts["failures"]))
    sys.exit(1 if _counts["failures"] else 0)
