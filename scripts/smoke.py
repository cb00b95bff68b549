"""Smoke check of the README's `make run`: serve the portal set up by `make demo` on a private port and
check that a page in each language and the static files it loads (stylesheets, the GCDS loader, the
fonts the stylesheets name) answer 200. Exits non-zero, saying what failed, otherwise.

Usage: .venv/bin/python scripts/smoke.py [PORT]
"""

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"en": "/en/", "fr": "/fr/"}
ASSET = re.compile(r"""(?:href|src)="(/static/[^"]+)\"""")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_up(base: str, server: subprocess.Popen, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the portal exited with code {server.returncode} before answering")
        try:
            fetch(base + "/")
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the portal did not answer on {base} within {seconds} s")


def check(base: str) -> list[str]:
    failures, assets = [], set()
    for language, path in PAGES.items():
        status, body = fetch(base + path)
        html = body.decode("utf-8", "replace")
        if status != 200:
            failures.append(f"{path}: HTTP {status}")
            continue
        if f'lang="{language}"' not in html:
            failures.append(f"{path}: the page is not in {language}")
        assets.update(ASSET.findall(html))
    if not any(a.endswith(".css") for a in assets) or not any("gcds.esm" in a for a in assets):
        failures.append(f"the pages load no stylesheet or no GCDS loader: {sorted(assets)}")
    fonts = set()
    for asset in sorted(assets):
        status, body = fetch(base + asset)
        if status != 200:
            failures.append(f"{asset}: HTTP {status}")
        elif asset.endswith(".css"):
            for url in CSS_URL.findall(body.decode("utf-8", "replace")):
                if not url.startswith(("data:", "http:", "https:", "#")):
                    fonts.add(urljoin(asset, url))
    for font in sorted(fonts):
        status, _ = fetch(base + font)
        if status != 200:
            failures.append(f"{font} (named in a stylesheet): HTTP {status}")
    print(f"smoke: {len(PAGES)} pages, {len(assets)} static files, {len(fonts)} files named by stylesheets checked")
    return failures


def main() -> int:
    port = sys.argv[1] if len(sys.argv) > 1 else "8765"
    base = f"http://127.0.0.1:{port}"
    # The same server `make run` starts, on a private port, without the auto-reloader.
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(base, server)
        failures = check(base)
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    for failure in failures:
        print(f"smoke: FAILED {failure}", file=sys.stderr)
    if failures:
        print(errors[-4000:], file=sys.stderr)
        return 1
    print("smoke: the portal set up by `make run` serves its pages and static files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
