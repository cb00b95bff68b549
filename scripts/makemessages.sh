#!/usr/bin/env bash
# Refresh the French catalogue of each app named (default: every app with a locale folder).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=($(ls -d */locale 2>/dev/null | cut -d/ -f1))
for app in "${apps[@]}"; do
  mkdir -p "$app/locale"
  (cd "$app" && PYTHONPATH="$root" DJANGO_SETTINGS_MODULE=carm.settings "$root/.venv/bin/python" -m django makemessages -l fr --no-obsolete -v 0)
  echo "$app/locale/fr/LC_MESSAGES/django.po"
done
