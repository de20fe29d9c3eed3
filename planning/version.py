"""The package's version and the name it is installed under.

The import package is ``planning``; the distribution on the package index is
``success-bonus-workbook`` (the name ``planning`` was taken there by an unrelated project).
``pyproject.toml`` reads the version from here, so this is its one place.
"""

__all__ = ["DISTRIBUTION", "VERSION", "install_hint"]

VERSION = "0.1.0"  # planning.__version__

DISTRIBUTION = "success-bonus-workbook"


def install_hint(extra: str) -> str:
    """The pip command that installs one of the package's extras, e.g. ``workbook``."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"
