"""A chart area of the cockpit that redraws only when its inputs change, and lays its
figure out again only when the texts around the axes change.

Drawing a chart is most of what a control change costs (issue 12): building a small
figure takes a few milliseconds, matplotlib's constrained layout takes as long as drawing
it again, and the PNG itself is cheap. So a :class:`ChartSlot`

* skips the chart altogether when the inputs it is drawn from are unchanged (a GOP gate
  moved from 100% to 95% with both passing leaves the waterfall and the payouts as they
  were);
* otherwise updates the figure it drew last in place (new bar heights, amounts and
  tooltips on the same axes: the chart functions take ``figure=``) or, when the chart's frame changed (other bars,
  another title or scale), builds a new one; and when its layout signature (figure size, titles, axis
  labels, tick labels, legend texts) is one it laid out before (it keeps the last
  :data:`LAYOUTS` of them), puts the axes where that layout put them and draws without
  running the layout again. Those texts are all the layout reads, so the picture is the
  one a fresh layout would give; an owner moving a slider back and forth meets the same
  few sets of round tick labels again and again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import ipywidgets as widgets
from matplotlib.figure import Figure

from planning.charts.base import literal_text
from planning.ui.components import chart_png

__all__ = ["LAYOUTS", "ChartSlot", "layout_signature"]

LAYOUTS = 32
"""How many layouts (axes positions per layout signature) a slot remembers."""


def layout_signature(fig: Figure) -> tuple:
    """Everything constrained layout reads to place the axes: the figure's size and, for each
    axes, its title, axis labels and tick labels, and the legends' texts."""
    with literal_text():  # tick labels are made as they will be drawn
        axes = tuple(
            (tuple(ax.get_position().bounds) if not ax.get_in_layout() else None,
             ax.get_title("left"), ax.get_title(), ax.get_title("right"), ax.get_xlabel(), ax.get_ylabel(),
             tuple((t.get_text(), t.get_rotation()) for t in ax.get_xticklabels()),
             tuple((t.get_text(), t.get_rotation()) for t in ax.get_yticklabels()),
             tuple(t.get_text() for t in (ax.get_legend().get_texts() if ax.get_legend() else ())))
            for ax in fig.axes)
    legends = tuple(tuple(t.get_text() for t in legend.get_texts()) for legend in fig.legends)
    return (tuple(fig.get_size_inches()), axes, legends, fig.get_suptitle())


class ChartSlot:
    """One chart's image on the page, drawn by ``draw(previous)`` when ``key`` changes.

    Attributes
    ----------
    image : ipywidgets.Image
    draws : int
        How many times the chart was drawn (for tests and the benchmark).
    layouts : int
        How many of those draws ran the layout engine.
    updates : int
        How many of them updated the last figure in place instead of building one.
    """

    def __init__(self, image: widgets.Image):
        self.image = image
        self.draws = self.layouts = self.updates = 0
        self._key: Hashable | None = None
        self._figure: Figure | None = None
        self._layouts: dict[tuple, list] = {}  # layout signature -> the axes' positions, oldest first

    def show(self, key: Hashable, draw: Callable[[Figure | None], Figure]) -> bool:
        """Draw the chart unless ``key`` (its inputs) is the one shown; True when drawn.

        ``draw(previous)`` returns the chart: ``previous`` (the figure drawn last, or None)
        updated in place when it can be, or a new figure.
        """
        if self._key is not None and key == self._key:
            return False
        self._key = None  # a draw that fails leaves the slot to be drawn next time
        previous, self._figure = self._figure, None
        fig = draw(previous)
        if fig is previous:
            self.updates += 1
        self._figure = fig
        signature = layout_signature(fig)
        positions = self._layouts.pop(signature, None)
        if positions is not None and len(positions) == len(fig.axes):
            for ax, position in zip(fig.axes, positions, strict=True):
                ax.set_position(position)
            fig.set_layout_engine(None)  # no engine at all: savefig then skips its layout pass
            png = chart_png(fig)
        else:
            fig.set_layout_engine("constrained")
            png = chart_png(fig)  # the layout engine places the axes as it draws
            self.layouts += 1
            positions = [ax.get_position(original=False).frozen() for ax in fig.axes]
        self._layouts[signature] = positions  # the most recent last
        while len(self._layouts) > LAYOUTS:
            del self._layouts[next(iter(self._layouts))]
        self.image.value = png
        self.draws += 1
        self._key = key
        return True

    def clear(self) -> None:
        """No chart (no result): an empty image, drawn again on the next ``show``."""
        self.image.value = b""
        self._key = self._figure = None
