"""Start-up loads no library only some requests use: every process's heap would hold it, and each
full garbage collection (a nightly run makes one) walks that heap."""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
LOADED_WHEN_USED = ("lxml", "pydifact", "phonenumbers", "snowballstemmer", "numpy")


def test_django_setup_imports_none_of_the_libraries_loaded_when_used():
    code = (
        "import sys, django; django.setup(); "
        f"print(' '.join(name for name in {LOADED_WHEN_USED!r} if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "carm.settings", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.split() == []
