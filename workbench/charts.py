"""Bar charts drawn on the server as SVG (no CDN, no script): one group of bars per label."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD, LABEL = 720, 240, 40, 40
COLOURS = ["#26374a", "#2b8000", "#d3080c", "#6f42c1"]  # GC Design System text, success, danger, accent


def bar_chart(title: str, labels: list[str], series: dict[str, list]) -> str:
    """An accessible SVG: `title` names it, each bar carries its value in a <title> tooltip."""
    values = [float(v) for values in series.values() for v in values] or [0]
    top = max(max(values), 1.0)
    group = (WIDTH - PAD) / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    plot = HEIGHT - LABEL
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {HEIGHT + 20 * len(series)}" '
        f'width="100%" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{PAD}" y1="{plot}" x2="{WIDTH}" y2="{plot}" stroke="#333"/>',
        f'<text x="0" y="12" font-size="11">{top:,.0f}</text>',
    ]
    for index, label in enumerate(labels):
        x0 = PAD + index * group
        for number, (name, values) in enumerate(series.items()):
            value = max(float(values[index]), 0)
            height = plot * value / top
            x = x0 + number * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{plot - height:.1f}" width="{bar - 1:.1f}" height="{height:.1f}" '
                f'fill="{COLOURS[number % len(COLOURS)]}"><title>{escape(name)} {escape(label)}: '
                f"{escape(str(values[index]))}</title></rect>"
            )
        parts.append(f'<text x="{x0:.1f}" y="{plot + 14}" font-size="11">{escape(label)}</text>')
    for number, name in enumerate(series):
        y = HEIGHT + 20 * number
        parts.append(f'<rect x="{PAD}" y="{y}" width="12" height="12" fill="{COLOURS[number % len(COLOURS)]}"/>')
        parts.append(f'<text x="{PAD + 18}" y="{y + 11}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
