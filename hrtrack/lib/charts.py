"""Charts drawn on the server as SVG: no JavaScript, no CDN, the same picture for the same data.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in words what
the picture shows, so that a screen reader (and a test) reads the figures; every piece of text
in it is escaped, since names and units are people's own text. The functions return a
SafeString for a template to include as it is.
"""

import datetime
import hashlib
import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

#: (fill, text on it) of the categories of a stacked bar, by name, and in order when none are named:
#: fills told apart with the common colour-vision deficiencies, each text readable on its fill
#: (contrast of 4.5 or more), and every segment has its name in its tooltip and the desc too.
COLOURS = {
    "blue": ("#1f5fa8", "#ffffff"),
    "green": ("#3d7d4a", "#ffffff"),
    "light-green": ("#8cc084", "#1d2430"),
    "yellow": ("#e0a526", "#1d2430"),
    "red": ("#a3261b", "#ffffff"),
    "purple": ("#7b5ea7", "#ffffff"),
    "grey": ("#b8bfc9", "#1d2430"),
}
PALETTE = tuple(COLOURS[name] for name in ("blue", "green", "yellow", "red", "purple", "grey"))

#: About how wide a character of the charts' 12px system font is, to fit labels and wrap the legend.
CHAR_WIDTH = 6.8


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH

FONT = 'font-family="system-ui, sans-serif"'


def number(value) -> str:
    """A value as people write it: ``12``, ``12.5``, ``0.25`` (at most two decimals, no trailing zeros)."""
    if value is None:
        return ""
    value = float(value)
    if math.isclose(value, round(value)):
        return f"{round(value):d}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def count_text(count: int) -> str:
    """A count as the reader's language writes it ("33,924", "33.924")."""
    return formats.number_format(count)


def _with_unit(value, unit: str) -> str:
    return f"{number(value)} {unit}".strip() if unit else number(value)


def _nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) that divides ``span`` into about ``ticks`` parts."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _id(prefix: str, *parts) -> str:
    """An id for the svg's title and desc, made from the chart's data: two charts on one page get
    two ids, and the same chart always the same one (a counter would differ between requests)."""
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()[:10]
    return f"{prefix}-{digest}"


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> SafeString:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="12">')
    return mark_safe("\n".join([
        head,
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]))


def line_chart(points: Sequence[tuple[datetime.date, float | Decimal]], baseline=None, target=None,
               unit: str = "", title: str = "", *, width: int = 640, height: int = 260) -> SafeString:
    """A line of ``points`` (date, value) over time, with the ``baseline`` and the ``target`` as
    dashed lines. With no points it still draws the baseline and target, and says there are no
    values yet."""
    points = sorted((day, float(value)) for day, value in points)
    title, unit = str(title or _("Values over time")), str(unit or "")
    left, right, top, bottom = 56, 16, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom

    values = [v for _day, v in points] + [float(x) for x in (baseline, target) if x is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    low = min(low, 0.0) if low >= 0 else low
    if math.isclose(low, high):
        high = low + 1.0
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step

    def y(value: float) -> float:
        return round(top + plot_h - (value - low) / (high - low) * plot_h, 1)

    days = [day.toordinal() for day, _v in points]
    first, last = (min(days), max(days)) if days else (0, 1)
    if first == last:
        first, last = first - 1, last + 1

    def x(day: datetime.date) -> float:
        return round(left + (day.toordinal() - first) / (last - first) * plot_w, 1)

    body = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="#d8dce3"/>']
    tick = low
    while tick <= high + step / 2:
        body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick)}" y2="{y(tick)}" stroke="#eceff3"/>')
        body.append(f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end" fill="#5b6472">'
                    f'{escape(number(tick))}</text>')
        tick += step
    if unit:
        body.append(f'<text x="{left}" y="{top - 12}" fill="#5b6472">{escape(unit)}</text>')
    for value, label, colour in ((baseline, _("Baseline"), "#5b6472"), (target, _("Target"), "#3d7d4a")):
        if value is None:
            continue
        body.append(f'<line class="{"baseline" if colour == "#5b6472" else "target"}" x1="{left}" '
                    f'x2="{left + plot_w}" y1="{y(float(value))}" y2="{y(float(value))}" stroke="{colour}" '
                    f'stroke-width="2" stroke-dasharray="6 4"/>')
        body.append(f'<text x="{left + plot_w - 4}" y="{y(float(value)) - 5}" text-anchor="end" fill="{colour}">'
                    f'{escape(label)}: {escape(_with_unit(value, unit))}</text>')
    if points:
        path = " ".join(f"{x(day)},{y(value)}" for day, value in points)
        body.append(f'<polyline class="values" points="{path}" fill="none" stroke="#1f5fa8" stroke-width="2.5"/>')
        for day, value in points:
            body.append(f'<circle cx="{x(day)}" cy="{y(value)}" r="4" fill="#1f5fa8">'
                        f'<title>{escape(day.isoformat())}: {escape(_with_unit(value, unit))}</title></circle>')
        shown_days = [points[0][0]] if len(points) == 1 else [points[0][0], points[-1][0]]
        for index, day in enumerate(shown_days):
            anchor = "start" if index == 0 and len(shown_days) > 1 else ("end" if index else "middle")
            body.append(f'<text x="{x(day)}" y="{top + plot_h + 18}" text-anchor="{anchor}" fill="#5b6472">'
                        f'{escape(day.isoformat())}</text>')
    else:
        body.append(f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" fill="#5b6472">'
                    f'{escape(_("No values yet."))}</text>')

    if points:
        desc = _("%(count)d values from %(first)s to %(last)s; the latest is %(value)s on %(date)s.") % {
            "count": len(points), "first": points[0][0].isoformat(), "last": points[-1][0].isoformat(),
            "value": _with_unit(points[-1][1], unit), "date": points[-1][0].isoformat()}
        if len(points) == 1:
            desc = _("One value: %(value)s on %(date)s.") % {
                "value": _with_unit(points[0][1], unit), "date": points[0][0].isoformat()}
    else:
        desc = _("No values yet.")
    if baseline is not None:
        desc += " " + _("Baseline: %(value)s.") % {"value": _with_unit(baseline, unit)}
    if target is not None:
        desc += " " + _("Target: %(value)s.") % {"value": _with_unit(target, unit)}
    ident = _id("line", points, baseline, target, unit, title)
    return _svg(width, height, title, desc, body, ident)


def shorten(label: str, most_chars: int) -> str:
    """``label`` in at most ``most_chars`` characters, cut with an ellipsis; a closing part in
    brackets (an agency's acronym, "Ministry of the Interior (SEGOB)") is kept whole, as it is
    what tells the rows apart: "Ministry of the Int… (SEGOB)"."""
    if len(label) <= most_chars:
        return label
    head, bracket, tail = label.rpartition(" (")
    if bracket and tail.endswith(")") and len(tail) + 3 <= most_chars // 2:
        kept = f" ({tail}"
        return head[:most_chars - len(kept) - 1].rstrip() + "…" + kept
    return label[:most_chars - 1].rstrip() + "…"


#: The charts last drawn (a pure function of its figures and the language): the same figures, kept
#: in the cache, are drawn once per process, not once per page view.
_drawn: dict[tuple, SafeString] = {}
DRAWN_KEPT = 256


def _memo(function):
    def drawn(rows, categories, title="", **options):
        rows, categories = list(rows), list(categories)
        key = (function.__name__, get_language(), tuple((str(label), tuple(counts)) for label, counts in rows),
               tuple(str(c) for c in categories), str(title),
               tuple(sorted((name, tuple(value) if isinstance(value, list | tuple) else value)
                            for name, value in options.items())))
        svg = _drawn.get(key)
        if svg is None:
            svg = function(rows, categories, title, **options)
            if len(_drawn) >= DRAWN_KEPT:
                _drawn.clear()
            _drawn[key] = svg
        return svg

    drawn.__doc__, drawn.__name__, drawn.__wrapped__ = function.__doc__, function.__name__, function
    return drawn


@_memo
def stacked_bar_chart(rows: Sequence[tuple[str, Sequence[int]]], categories: Sequence[str], title: str = "",
                      *, colours: Sequence[str] | None = None, width: int = 720, bar_height: int = 22,
                      label_width: int = 220, focusable: bool = False) -> SafeString:
    """Horizontal bars, one per row ``(label, counts)``, each split into ``categories`` (the counts
    in the same order; they add up to the bar's length), with a legend and each bar's total.
    Counts are shown inside segments wide enough to hold them, and all of them in the ``desc``.
    ``colours`` names each category's colour (keys of :data:`COLOURS`); by default :data:`PALETTE`'s order.
    Counts read as in the reader's language. With ``focusable``, each row is a group (``g.bar``) a
    keyboard reaches, named by its figures (``aria-label``), and each segment carries its row,
    category and count (``data-label``, ``data-category``, ``data-value``) for a script to show."""
    # Plain strings (not lazy translations, whose repr differs per process) for the id and the text.
    title, categories = str(title or _("Counts")), [str(c) for c in categories]
    rows = [(str(label), list(counts)) for label, counts in rows]
    fills = [COLOURS[name] for name in colours] if colours else [PALETTE[i % len(PALETTE)] for i in
                                                                 range(len(categories))]
    gap, top, legend_row = 8, 8, 20
    total_w = width - label_width - 48
    largest = max((sum(counts) for _label, counts in rows), default=0) or 1

    # The legend, wrapped to the chart's width.
    body = []
    x_legend, y_legend = label_width, top
    for index, category in enumerate(categories):
        item_w = 28 + text_width(str(category))
        if x_legend + item_w > width and x_legend > label_width:
            x_legend, y_legend = label_width, y_legend + legend_row
        colour, _ink = fills[index]
        body.append(f'<rect x="{x_legend}" y="{y_legend}" width="12" height="12" fill="{colour}"/>')
        body.append(f'<text x="{x_legend + 16}" y="{y_legend + 11}" fill="#1d2430">{escape(category)}</text>')
        x_legend += item_w
    bars_top = y_legend + legend_row + 4
    height = bars_top + len(rows) * (bar_height + gap) + 8

    most_chars = max(4, int((label_width - 12) / CHAR_WIDTH))
    lines = []
    for row_index, (label, counts) in enumerate(rows):
        y = bars_top + row_index * (bar_height + gap)
        shown = shorten(label, most_chars)
        row_body = [f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" fill="#1d2430">'
                    f'<title>{escape(label)}</title>{escape(shown)}</text>']
        x = float(label_width)
        parts = []
        for index, count in enumerate(counts):
            if not count:
                continue
            segment = round(count / largest * total_w, 1)
            colour, ink = fills[index] if index < len(fills) else PALETTE[-1]
            name = categories[index] if index < len(categories) else ""
            data = (f' data-label="{escape(label)}" data-category="{escape(name)}" data-value="{count_text(count)}"'
                    if focusable else "")
            row_body.append(f'<rect x="{x:.1f}" y="{y}" width="{segment}" height="{bar_height}" fill="{colour}"{data}>'
                            f'<title>{escape(label)}: {escape(name)} {count_text(count)}</title></rect>')
            if segment >= text_width(count_text(count)) + 8:
                row_body.append(f'<text x="{x + segment / 2:.1f}" y="{y + bar_height * 0.7:.1f}" '
                                f'text-anchor="middle" fill="{ink}">{count_text(count)}</text>')
            x += segment
            parts.append(f"{name} {count_text(count)}")
        row_body.append(f'<text x="{x + 6:.1f}" y="{y + bar_height * 0.7:.1f}" fill="#5b6472">'
                        f'{count_text(sum(counts))}</text>')
        line = f"{label}: " + (", ".join(parts) if parts else _("none"))
        lines.append(line)
        if focusable:
            body.append(f'<g class="bar" tabindex="0" aria-label="{escape(line)}" '
                        f'data-total="{count_text(sum(counts))}">')
            body.extend(row_body)
            body.append("</g>")
        else:
            body.extend(row_body)
    if not rows:
        body.append(f'<text x="{label_width}" y="{bars_top + 14}" fill="#5b6472">'
                    f'{escape(_("Nothing to show."))}</text>')
        height += bar_height
    desc = "; ".join(lines) + "." if lines else _("Nothing to show.")
    ident = _id("bars", rows, categories, title, colours, focusable)
    return _svg(width, height, title, desc, body, ident)


@_memo
def stacked_column_chart(columns: Sequence[tuple[str, Sequence[int]]], categories: Sequence[str], title: str = "",
                         *, colours: Sequence[str] | None = None, width: int = 720, height: int = 300,
                         focusable: bool = False) -> SafeString:
    """Vertical columns, one per ``(label, counts)`` in order (periods of time, left to right),
    each split into ``categories`` from the bottom up, with a legend, a scale and each column's
    total in its tooltip and the ``desc``. Labels under the columns are thinned out to fit.
    ``colours`` and ``focusable`` as for :func:`stacked_bar_chart`."""
    title, categories = str(title or _("Counts")), [str(c) for c in categories]
    columns = [(str(label), list(counts)) for label, counts in columns]
    fills = [COLOURS[name] for name in colours] if colours else [PALETTE[i % len(PALETTE)] for i in
                                                                 range(len(categories))]
    left, right, bottom, legend_row = 56, 16, 36, 20
    body = []
    x_legend, y_legend = left, 8
    for index, category in enumerate(categories):
        item_w = 28 + text_width(category)
        if x_legend + item_w > width and x_legend > left:
            x_legend, y_legend = left, y_legend + legend_row
        colour, _ink = fills[index]
        body.append(f'<rect x="{x_legend}" y="{y_legend}" width="12" height="12" fill="{colour}"/>')
        body.append(f'<text x="{x_legend + 16}" y="{y_legend + 11}" fill="#1d2430">{escape(category)}</text>')
        x_legend += item_w
    top = y_legend + legend_row + 12
    plot_w, plot_h = width - left - right, height - top - bottom
    largest = max((sum(counts) for _label, counts in columns), default=0) or 1
    step = _nice_step(largest)
    high = math.ceil(largest / step) * step

    def y(value: float) -> float:
        return round(top + plot_h - value / high * plot_h, 1)

    tick = 0.0
    while tick <= high + step / 2:
        body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick)}" y2="{y(tick)}" stroke="#eceff3"/>')
        body.append(f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end" fill="#5b6472">'
                    f'{escape(count_text(round(tick)))}</text>')
        tick += step
    slot = plot_w / max(len(columns), 1)
    column_w = round(max(2.0, slot * 0.7), 1)
    widest = max((text_width(label) for label, _counts in columns), default=0) + 10
    every = max(1, math.ceil(widest / slot))
    lines = []
    for index, (label, counts) in enumerate(columns):
        x = round(left + index * slot + (slot - column_w) / 2, 1)
        column_body, parts, base = [], [], 0
        for part, count in enumerate(counts):
            if not count:
                continue
            colour, _ink = fills[part] if part < len(fills) else PALETTE[-1]
            name = categories[part] if part < len(categories) else ""
            data = (f' data-label="{escape(label)}" data-category="{escape(name)}" data-value="{count_text(count)}"'
                    if focusable else "")
            column_body.append(f'<rect x="{x}" y="{y(base + count)}" width="{column_w}" '
                               f'height="{round(y(base) - y(base + count), 1)}" fill="{colour}"{data}>'
                               f'<title>{escape(label)}: {escape(name)} {count_text(count)}</title></rect>')
            base += count
            parts.append(f"{name} {count_text(count)}")
        if index % every == 0:
            # Centred under its column, but kept inside the picture at either end.
            centre, half = x + column_w / 2, text_width(label) / 2
            at, anchor = ((width - 2, "end") if centre + half > width - 2 else
                          (2, "start") if centre - half < 2 else (round(centre, 1), "middle"))
            column_body.append(f'<text x="{at}" y="{top + plot_h + 16}" text-anchor="{anchor}" '
                               f'fill="#5b6472">{escape(label)}</text>')
        line = f"{label}: " + (", ".join(parts) if parts else _("none"))
        lines.append(line)
        if focusable:
            body.append(f'<g class="bar" tabindex="0" aria-label="{escape(line)}" data-total="{count_text(base)}">')
            body.extend(column_body)
            body.append("</g>")
        else:
            body.extend(column_body)
    body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(0)}" y2="{y(0)}" stroke="#5b6472"/>')
    if not columns:
        body.append(f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" fill="#5b6472">'
                    f'{escape(_("Nothing to show."))}</text>')
    desc = "; ".join(lines) + "." if lines else _("Nothing to show.")
    ident = _id("columns", columns, categories, title, colours, focusable)
    return _svg(width, height, title, desc, body, ident)
