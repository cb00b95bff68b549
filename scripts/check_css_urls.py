"""Fails (exit 1) when a stylesheet under the given folders names a url() that is not a file beside it.

Run by scripts/fetch_assets.sh on the vendored assets, so a package whose CSS points at a missing or
placeholder path is refused at fetch time rather than by collectstatic's manifest storage at `make run`.
"""

import re
import sys
from pathlib import Path

URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
EXTERNAL = ("data:", "http:", "https:", "//", "#")


def missing_urls(root: Path) -> list[str]:
    """Every `css-file: url` pair under root whose target file does not exist."""
    missing = []
    for css in sorted(root.rglob("*.css")):
        for match in URL.finditer(css.read_text(encoding="utf-8", errors="replace")):
            target = match.group(2).strip()
            if target.startswith(EXTERNAL):
                continue
            path = target.split("?", 1)[0].split("#", 1)[0]
            if not (css.parent / path).is_file():
                missing.append(f"{css}: {target}")
    return missing


if __name__ == "__main__":
    problems = [problem for folder in sys.argv[1:] for problem in missing_urls(Path(folder))]
    for problem in problems:
        print(f"missing file referenced by url(): {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)
