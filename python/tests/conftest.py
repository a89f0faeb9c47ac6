"""What the Python module's tests share: the project's programs (from CTest's environment:
DLTDUMP_BIN, DLTGEN, NVGEN, DLTDUMP_TEST_WORK) and the command line's records for a file."""

import json
import os
import shutil
import subprocess

import pytest

DLTDUMP = os.environ.get("DLTDUMP_BIN", "dltdump")
DLTGEN = os.environ.get("DLTGEN", "dltgen")
NVGEN = os.environ.get("NVGEN", "nvgen")
ENV = dict(os.environ, TZ="UTC")


def run(args):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=ENV)
    assert r.returncode == 0, f"{args}: {r.stderr}"
    return r.stdout


def cli_records(*args):
    """The command line's JSON records (messages and skips) for `args` (options and inputs)."""
    return [json.loads(line) for line in run([DLTDUMP, "--out=json", *args]).splitlines()]


def cli_messages(*args):
    return [r for r in cli_records(*args) if r["record"] == "message"]


def cli_stats(*args):
    return json.loads(run([DLTDUMP, "--stats=json", *args]))


@pytest.fixture(scope="session")
def work():
    """A fresh folder under the build tree (or pytest's temporary one) for the session."""
    base = os.environ.get("DLTDUMP_TEST_WORK")
    if not base:
        import tempfile
        base = tempfile.mkdtemp(prefix="dltdump-python-")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    return base


def dltgen(work, name, *args):
    """dltgen's file `name` in `work`, made once per session."""
    path = os.path.join(work, name)
    if not os.path.exists(path):
        run([DLTGEN, *args, "-o", path])
    return path
