"""pagelint: a linter and validator for academic homepages written in Markdown."""

__version__ = "0.1.0"
