"""Each test run writes its files (carm.test_settings.VAR_DIR) in a folder of its own: two runs in one
checkout never share one, and none writes in the portal's var/."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PROJECT = Path(__file__).resolve().parents[2]
ANOTHER_RUN = "import django; django.setup(); from django.conf import settings; print(settings.VAR_DIR)"


def test_another_run_gets_another_folder_removed_when_it_ends():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "carm.test_settings"}
    result = subprocess.run([sys.executable, "-c", ANOTHER_RUN], cwd=PROJECT, env=env, capture_output=True, text=True)
    other = Path(result.stdout.strip())
    assert result.returncode == 0, result.stderr
    assert other != Path(settings.VAR_DIR) and not other.exists()
    assert Path(settings.VAR_DIR).is_dir()


def test_the_files_tests_write_are_in_the_runs_folder():
    folder = Path(settings.VAR_DIR)
    assert PROJECT / "var" not in [folder, *folder.parents]
    for path in (settings.EMAIL_FILE_PATH, settings.EDI_DROP_FOLDER, settings.CARM_REMITTANCE_INBOX):
        assert folder in Path(path).parents
    assert Path(settings.CARM_NOTIFY_SMS_FILE).parent == folder
