"""Geometry of the guide's figures (content/abbildungen.yml) as inline SVG.

Computed here because Jinja has no trigonometry; blocks/abbildung.html.j2 draws it.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from .loader import Illustration, IllustrationElement

DRAWING_WIDTH = 600  # viewBox units; scaled to the text column, 14 units of text are about 9 pt in the PDF


@dataclass(frozen=True)
class DrawnLine:
    text: str
    y: float  # baseline
    kind: str  # "titel", "zeile" or "herkunft": size and weight in the template


@dataclass(frozen=True)
class DrawnBox:
    x: float
    y: float
    width: float
    height: float
    lines: tuple[DrawnLine, ...]
    omitted: bool  # a part of an original figure that is not reproduced: drawn dashed

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2


@dataclass(frozen=True)
class DrawnArrow:
    points: str  # line from start to just before the head
    head: str  # the arrow head as a polygon (drawn, not an SVG marker: every renderer draws polygons)


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    boxes: tuple[DrawnBox, ...]
    arrows: tuple[DrawnArrow, ...]  # kreislauf: box to box, closing the loop
    links: tuple[tuple[float, float, float, float], ...]  # ebenen: plain lines between neighbours


# Line height and the width of an average character, per kind of line (sans-serif; generous,
# because the PDF uses the wide DejaVu Sans). Wrapping by character count needs no font metrics.
_LINE = {"titel": (18, 8.6), "zeile": (17, 7.6), "herkunft": (16, 7.0)}
_PAD = 10


def _wrap(text: str, kind: str, width: float) -> list[tuple[str, str]]:
    chars = int((width - 2 * _PAD) / _LINE[kind][1])
    return [(kind, line) for line in textwrap.wrap(text, chars, break_on_hyphens=False)]


def _box_lines(element: IllustrationElement, width: float, title: str) -> list[tuple[str, str]]:
    lines = _wrap(title, "titel", width)
    for zeile in element.zeilen:
        lines += _wrap(zeile, "zeile", width)
    return lines + (_wrap(element.herkunft, "herkunft", width) if element.herkunft else [])


def _lines_height(lines: list[tuple[str, str]]) -> float:
    return sum(_LINE[kind][0] for kind, _ in lines)


def _box(x: float, y: float, width: float, height: float, lines: list[tuple[str, str]], omitted: bool) -> DrawnBox:
    """A box with its lines centred vertically (baselines about 4/5 down each line)."""
    top = y + (height - _lines_height(lines)) / 2
    placed = []
    for kind, text in lines:
        step = _LINE[kind][0]
        placed.append(DrawnLine(text, round(top + step * 0.78, 1), kind))
        top += step
    return DrawnBox(round(x, 1), round(y, 1), round(width, 1), round(height, 1), tuple(placed), omitted)


def _edge(box: DrawnBox, dx: float, dy: float) -> float:
    """How far along (dx, dy) from the box's centre its border lies, as a fraction of (dx, dy)."""
    limits = [box.width / 2 / abs(dx) if dx else math.inf, box.height / 2 / abs(dy) if dy else math.inf]
    return min(limits)


def _arrow(start: DrawnBox, end: DrawnBox, gap: float = 5, head: float = 10) -> DrawnArrow:
    (x1, y1), (x2, y2) = start.center, end.center
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    t1, t2 = _edge(start, dx, dy) * length + gap, (1 - _edge(end, dx, dy)) * length - gap
    sx, sy, ex, ey = x1 + ux * t1, y1 + uy * t1, x1 + ux * t2, y1 + uy * t2
    bx, by = ex - ux * head, ey - uy * head  # base of the head
    nx, ny = -uy * head / 2, ux * head / 2
    return DrawnArrow(f"{sx:.1f},{sy:.1f} {bx + ux:.1f},{by + uy:.1f}",
                       f"{ex:.1f},{ey:.1f} {bx + nx:.1f},{by + ny:.1f} {bx - nx:.1f},{by - ny:.1f}")


def cycle_drawing(illustration: Illustration) -> Drawing:
    """Numbered boxes on an ellipse, clockwise from the top, each with an arrow to the next;
    the last arrow leads back to the first box (3 to 6 boxes fit without touching)."""
    width, ry = 170, 150
    lines = [_box_lines(element, width, f"{index + 1}. {element.titel}")
             for index, element in enumerate(illustration.elemente)]
    height = max(40, *(_lines_height(box) for box in lines)) + 2 * _PAD
    angles = [-math.pi / 2 + 2 * math.pi * index / len(lines) for index in range(len(lines))]
    widest = max(abs(math.cos(angle)) for angle in angles)  # a box exactly left or right needs room
    rx = min(245, (DRAWING_WIDTH / 2 - width / 2 - 4) / widest)
    cx, cy = DRAWING_WIDTH / 2, ry + height / 2 + 4
    boxes = []
    for angle, element, box in zip(angles, illustration.elemente, lines):
        x, y = cx + rx * math.cos(angle) - width / 2, cy + ry * math.sin(angle) - height / 2
        boxes.append(_box(x, y, width, height, box, element.ausgelassen))
    arrows = tuple(_arrow(box, boxes[(i + 1) % len(boxes)]) for i, box in enumerate(boxes))
    return Drawing(DRAWING_WIDTH, math.ceil(cy + ry + height / 2 + 4), tuple(boxes), arrows, ())


def row_drawing(illustration: Illustration) -> Drawing:
    """Boxes side by side, joined by plain lines (no arrows: the order is not a claim about causes)."""
    gap, margin = 40, 4
    count = len(illustration.elemente)
    width = (DRAWING_WIDTH - 2 * margin - gap * (count - 1)) / count
    lines = [_box_lines(element, width, element.titel) for element in illustration.elemente]
    height = max(_lines_height(box) for box in lines) + 2 * _PAD
    boxes = tuple(_box(margin + i * (width + gap), margin, width, height, box, element.ausgelassen)
                  for i, (element, box) in enumerate(zip(illustration.elemente, lines)))
    links = tuple((round(a.x + a.width, 1), round(a.y + a.height / 2, 1), round(b.x, 1), round(b.y + b.height / 2, 1))
                  for a, b in zip(boxes, boxes[1:]))
    return Drawing(DRAWING_WIDTH, math.ceil(height + 2 * margin), boxes, (), links)


DRAWINGS = {"kreislauf": cycle_drawing, "ebenen": row_drawing}
