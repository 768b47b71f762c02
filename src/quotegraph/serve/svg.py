"""Small charts drawn as inline SVG on the server: no chart library, no script.

Every label is escaped; numbers are formatted here. Colours come from the stylesheet
(classes ``bar``, ``axis``, ``grid``, ``label``), so a chart follows the page's theme and
the Content-Security-Policy needs no inline styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

from quotegraph.types import DayCount

MAX_BAR_WIDTH = 40
"""Wider bars would read as a block rather than as days."""

MAX_DAILY_BARS = 120
"""Above this many days the chart counts per month instead, so bars stay visible."""


@dataclass(frozen=True)
class _Bucket:
    label: str
    """Axis label (``10 Mar`` or ``Mar 2025``)."""
    title: str
    """Tooltip prefix (``2025-03-10``)."""
    count: int


def _dated(days: Sequence[DayCount]) -> list[tuple[date, int]]:
    dated = []
    for item in days:
        try:
            dated.append((date.fromisoformat(item.day), item.count))
        except ValueError:
            continue  # a malformed published value must not break the page
    return sorted(dated)


def _buckets(days: Sequence[DayCount]) -> list[_Bucket]:
    """One bucket per day (or month) from the first to the last, gaps included as zero."""
    dated = _dated(days)
    if not dated:
        return []
    first, last = dated[0][0], dated[-1][0]
    if (last - first).days + 1 > MAX_DAILY_BARS:
        months: dict[tuple[int, int], int] = {}
        for day, n in dated:
            months[(day.year, day.month)] = months.get((day.year, day.month), 0) + n
        return [
            _Bucket(date(y, m, 1).strftime("%b %Y"), f"{y:04d}-{m:02d}", months.get((y, m), 0))
            for y, m in _month_range(first, last)
        ]
    counts = dict(dated)
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [_Bucket(d.strftime("%-d %b"), d.isoformat(), counts.get(d, 0)) for d in span]


def _month_range(first: date, last: date) -> list[tuple[int, int]]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def bar_chart(
    days: Sequence[DayCount],
    *,
    label: str,
    width: int = 760,
    height: int = 200,
    unit: str = "statements",
) -> Markup:
    """Statements per day (or month) as a bar chart; a short note when nothing is dated."""
    buckets = _buckets(days)
    if not buckets:
        return Markup('<p class="empty">No dated statements.</p>')
    left, right, top, bottom = 40, 10, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(b.count for b in buckets) or 1
    step = plot_w / len(buckets)
    gap = max(min(2.0, step * 0.2), step - MAX_BAR_WIDTH)
    parts = [
        # Width and height are the size it is drawn for: a chart is never stretched past
        # them (labels would grow with it), only shrunk to fit a narrow column.
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(label)}</title>",
    ]
    parts += _y_axis(peak, left, top, plot_w, plot_h)
    for i, bucket in enumerate(buckets):
        h = plot_h * bucket.count / peak
        x, y = left + i * step + gap / 2, top + plot_h - h
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(step - gap, 1):.1f}" '
            f'height="{h:.1f}"><title>{escape(bucket.title)}: '
            f"{bucket.count:,} {escape(unit)}</title></rect>"
        )
    parts += _x_labels(buckets, left, step, top + plot_h)
    parts.append("</svg>")
    return Markup("".join(parts))


def wide_chart(days: Sequence[DayCount], *, label: str) -> Markup:
    """A bar chart across a whole page panel (the overview, a speaker's timeline)."""
    return bar_chart(days, label=label, width=1080, height=220)


def small_chart(days: Sequence[DayCount], *, label: str) -> Markup:
    """A compact bar chart, for a timeline beside other content (a story, a list item)."""
    return bar_chart(days, label=label, width=380, height=120)


def _y_axis(peak: int, left: int, top: int, plot_w: int, plot_h: int) -> list[str]:
    ticks = sorted({0, peak // 2, peak}) if peak > 1 else [0, 1]
    parts = []
    for tick in ticks:
        y = top + plot_h - plot_h * tick / max(peak, 1)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="label" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{tick:,}</text>"
        )
    return parts


def _x_labels(buckets: list[_Bucket], left: int, step: float, baseline: float) -> list[str]:
    # At most eight evenly spaced labels, so that they never overlap.
    every = max(1, -(-len(buckets) // 8))
    parts = [
        f'<line class="axis" x1="{left}" x2="{left + step * len(buckets):.1f}" '
        f'y1="{baseline:.1f}" y2="{baseline:.1f}"/>'
    ]
    for i in range(0, len(buckets), every):
        x = left + (i + 0.5) * step
        parts.append(
            f'<text class="label" x="{x:.1f}" y="{baseline + 16:.1f}" text-anchor="middle">'
            f"{escape(buckets[i].label)}</text>"
        )
    return parts
