"""The API documentation page loads its JavaScript and CSS from the portal's own static files
(drf-spectacular-sidecar, pinned), never from a CDN, and has no inline script (the CSP allows none)."""

import re


def test_the_api_docs_load_nothing_from_another_origin(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"https?://[^\s\"'<>]+", html)
    assert sources, "the page names its assets"
    assert not [url for url in sources if url.startswith(("http://", "https://", "//")) and "testserver" not in url]
    assert "/static/drf_spectacular_sidecar/" in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # no inline script: the CSP allows none
