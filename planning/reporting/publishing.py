"""Publishing pages: the output folder, the offline-safety check, atomic writes, the index.

Used by the report runner (:mod:`planning.reporting.runner`) and the personal statements
(:mod:`planning.reporting.statements`); nothing here imports papermill or nbconvert.

- :func:`output_folder` refuses an ``--out`` that is a file, lies under one or cannot be
  written to, before anything is rendered.
- :func:`html_problems` refuses a page with a script, an event handler, or anything loaded
  from outside the file, so a report makes no network request when opened.
- :func:`publish_html` writes a page atomically (temporary file beside it, fsync, rename,
  fsync of the folder), so a failed render leaves the previous page as it was.
- :func:`write_index` rebuilds ``OUT/index.html`` from the ``<period>-<audience>.html``
  files present.
"""

from __future__ import annotations

import functools
import html
import os
import re
import time
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jinja2

from planning.errors import InputError
from planning.files import write_atomic

__all__ = ["TEMPLATES_DIR", "FILE_MODES", "REPORT_FILE", "output_folder", "report_filename",
           "html_problems", "publish_html", "write_index"]

TEMPLATES_DIR = Path(str(resources.files("planning") / "templates"))
"""The page templates: nbconvert's ``planning_report`` and the statements' Jinja templates."""
FILE_MODES = {"owner": 0o640, "staff": 0o644, "index": 0o644}
REPORT_FILE = re.compile(r"^(?P<period>\d{4}Q[1-4]|FY\d{4})-(?P<audience>owner|staff)\.html$")


def output_folder(path: Path | str, option: str = "--out") -> Path:
    """Create ``path`` if needed and make sure files can be written into it.

    Raises
    ------
    InputError
        One line naming ``option`` when the path is a file, lies under a file, or cannot be
        created or written to; raised before any report or statement is rendered.
    """
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError.single(option, f"{folder} is a file; expected a folder for the output") from None
    except NotADirectoryError:
        raise InputError.single(option, f"{folder} lies under a file, not a folder; expected a folder "
                                "for the output") from None
    except OSError as exc:
        raise InputError.single(option, f"cannot create the folder {folder} ({exc.strerror or exc}); "
                                "expected a folder you can write to") from None
    if not folder.is_dir():
        raise InputError.single(option, f"{folder} is not a folder; expected a folder for the output")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError.single(option, f"cannot write into {folder}; expected a folder you can write to")
    return folder


def report_filename(period: str, audience: str) -> str:
    """``<period>-<audience>.html``."""
    return f"{period}-{audience}.html"


# --- the offline-safety check -------------------------------------------------------------


_RELATIVE_LINK = re.compile(r"^[a-z0-9][a-z0-9._-]*\.html(#[\w.-]*)?$")


class _SafetyScan(HTMLParser):
    _URL_ATTRS = {"src", "href", "srcset", "action", "formaction", "poster", "background", "data",
                  "xlink:href", "cite", "manifest", "ping"}
    _FORBIDDEN = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
                  "link", "portal", "math"}
    # what a chart's inline SVG may hold: shapes, text, tooltips, clip paths; never a script,
    # a foreignObject, an image, a link or an animation
    _SVG_ELEMENTS = {"svg", "g", "path", "defs", "clippath", "use", "text", "tspan", "title", "desc", "rect",
                     "circle", "ellipse", "line", "polyline", "polygon", "lineargradient", "radialgradient",
                     "stop"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_style = False
        self._svg_depth = 0

    def handle_starttag(self, tag, attrs, closed=False):
        if tag in self._FORBIDDEN:
            self.problems.append(f"contains a <{tag}> element")
        if tag == "svg" or self._svg_depth:
            self._svg_start(tag, attrs, closed)
        if tag == "meta" and any(k == "http-equiv" for k, _ in attrs):
            self.problems.append("contains a <meta http-equiv> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"has an event handler attribute {name} on <{tag}>")
            elif name in self._URL_ATTRS and value is not None:
                url = value.strip().lower()
                ok = (url.startswith("#")
                      or (tag == "img" and name == "src" and url.startswith("data:image/"))
                      or (tag == "a" and name == "href" and _RELATIVE_LINK.match(url) is not None))
                if not ok:
                    self.problems.append(f"loads or links {value[:60]!r} from <{tag} {name}>")
            elif name == "style" and value and ("url(" in value.lower() or "expression(" in value.lower()):
                self.problems.append(f"has a style attribute with url() on <{tag}>")
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, closed=True)

    def _svg_start(self, tag, attrs, closed):
        if tag not in self._SVG_ELEMENTS:
            self.problems.append(f"contains a <{tag}> element inside an <svg>")
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.endswith("href") and not text.startswith("#"):
                self.problems.append(f"links {text[:60]!r} from <{tag} {name}> inside an <svg>")
            for match in re.finditer(r"url\(\s*['\"]?([^'\")]*)", text):
                if not match.group(1).startswith("#"):
                    self.problems.append(f"loads {match.group(1)[:60]!r} from <{tag} {name}> inside an <svg>")
        if not closed:
            self._svg_depth += 1

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if self._svg_depth:
            self._svg_depth -= 1

    def handle_data(self, data):
        if self._in_style:
            lowered = data.lower()
            if "@import" in lowered:
                self.problems.append("has a stylesheet with @import")
            for match in re.finditer(r"url\(\s*['\"]?([^'\")]*)", lowered):
                if not match.group(1).startswith("data:"):
                    self.problems.append(f"has a stylesheet loading {match.group(1)[:60]!r}")


def html_problems(page: str) -> list[str]:
    """What makes a page unsafe to publish as a static, offline report.

    Refused: script, iframe, object, embed, form, link and similar elements; inside an inline
    ``<svg>`` anything but shapes, text, titles and clip paths, and any link or ``url()`` but
    an in-page ``#id``; ``on*`` event
    handler attributes; any ``src``/``href``-like URL other than an in-page ``#anchor``, an
    image's ``data:image/...`` or a link to a sibling page (``2026Q1-staff.html``); stylesheets that ``@import`` or load a non-``data:`` URL.
    """
    scan = _SafetyScan()
    scan.feed(page)
    scan.close()
    return list(dict.fromkeys(scan.problems))


# --- publishing ----------------------------------------------------------------------------


def publish_html(path: Path, page: str, mode: int = 0o644) -> Path:
    """Write ``page`` to ``path`` atomically: temp file beside it, fsync, rename, fsync folder."""
    return write_atomic(path, lambda tmp: tmp.write_text(page, encoding="utf-8"), mode)


_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
# "<company>: <period> (<months>) quarterly report (<audience>)"; the company's name may hold
# colons too; pages written before the months were added have none
_TITLE_COMPANY = re.compile(r"^(.*): (?:\d{4}Q[1-4](?: \(([A-Z][a-z]{2}(?: \d{4})?-[A-Z][a-z]{2} \d{4})\))? "
                            r"quarterly|FY\d{4} year-end) report \((?:owner|staff)\)$", re.S)


@functools.lru_cache(maxsize=1)
def _index_template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["esc"] = html.escape  # every text from the data; the same escaping as the pages
    return env.get_template("reports_index.html.j2")


def write_index(out: Path | str) -> Path:
    """Rebuild ``OUT/index.html`` listing every ``<period>-<audience>.html`` in ``out``."""
    out = Path(out)
    found: dict[str, dict[str, tuple[str, float]]] = {}
    titles: dict[str, str] = {}
    months: dict[str, str] = {}  # period -> "Apr-Jun 2026", read from the reports' titles
    for entry in sorted(out.iterdir()) if out.is_dir() else []:
        match = REPORT_FILE.match(entry.name)
        if not match or not entry.is_file():
            continue
        with open(entry, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)
        title = _TITLE.search(head)
        heading = _TITLE_COMPANY.match(html.unescape(title.group(1)).strip()) if title else None
        company = heading.group(1).strip() if heading else ""
        if heading and heading.group(2):
            months[match["period"]] = heading.group(2)
        found.setdefault(match["period"], {})[match["audience"]] = (entry.name, entry.stat().st_mtime)
        if company:
            titles[match["period"]] = company
    companies = sorted(set(titles.values()))
    heading = " / ".join(companies) if companies else "Quarterly reports"

    def cell(period: str, audience: str) -> dict | None:
        item = found[period].get(audience)
        if item is None:
            return None
        name, mtime = item
        return {"name": name, "audience": audience,
                "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(mtime))}

    def label(period: str) -> str:   # a year-end report's row says so (it lists before the quarters)
        return f"{period} year end" if period.startswith("FY") else f"{period} ({months[period]})" \
            if period in months else period

    rows = [{"period": label(p), "cells": [cell(p, "owner"), cell(p, "staff")]}
            for p in sorted(found, reverse=True)]
    page = _index_template().render(heading=heading, rows=rows)
    return publish_html(out / "index.html", page, FILE_MODES["index"])
