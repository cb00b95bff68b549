"""The stylesheets `make run` collects must name only files that exist: the manifest storage refuses a
placeholder url() at collectstatic time, which once broke the README's first command."""

import importlib.util
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from carm import settings as production_settings

spec = importlib.util.spec_from_file_location(
    "check_css_urls", Path(settings.BASE_DIR) / "scripts" / "check_css_urls.py"
)
check_css_urls = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_css_urls)


def test_every_url_in_every_collected_stylesheet_resolves(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": production_settings.STORAGES["staticfiles"]}
    call_command("collectstatic", interactive=False, verbosity=0)

    stylesheets = list(tmp_path.rglob("*.css"))
    assert any(css.name.startswith("gcds.") for css in stylesheets)
    assert check_css_urls.missing_urls(tmp_path) == []


def test_a_placeholder_url_is_reported(tmp_path):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "real.woff2").write_bytes(b"")
    (tmp_path / "sample.css").write_text(
        '@font-face { src: url("fonts/real.woff2"), url("path/to/file/missing.woff2"); }'
        " .x { background: url(data:image/png;base64,AAAA); }"
    )

    assert check_css_urls.missing_urls(tmp_path) == [f"{tmp_path / 'sample.css'}: path/to/file/missing.woff2"]
