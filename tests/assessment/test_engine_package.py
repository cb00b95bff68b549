import doctest
import subprocess
import sys
from pathlib import Path

import assessment_engine

PROJECT = Path(__file__).resolve().parents[2]


def test_engine_imports_no_web_framework():
    check = "import sys, assessment_engine; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", check], cwd=PROJECT).returncode == 0


def test_package_example_runs_as_written():
    assert doctest.testmod(assessment_engine).failed == 0
