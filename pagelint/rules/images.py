"""Image rules beside M003: images most browsers do not show, and alternative texts that
describe nothing (a placeholder word, the file's name, an identifier, one text for every image)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import PurePosixPath

from pagelint.data import read_text
from pagelint.rules.base import Rule

_UNSHOWN_SUFFIXES = {".tif": "TIFF", ".tiff": "TIFF", ".heic": "HEIC", ".heif": "HEIF"}
_GUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
_FILE_NAME = re.compile(r"[\w\-. ]+\.(?:png|jpe?g|gif|svg|webp|tiff?|bmp|heic)", re.I)
_CAMERA_NAME = re.compile(r"(?:IMG|DSC|DSCN|DCIM|PXL|MVIMG|Screenshot|image)[ _-]?[\d_-]{3,}", re.I)
_NUMBERING = re.compile(r"[\s\d._:#()\-]+$")
SAME_ALT_MIN_IMAGES = 3  # two images may well show the same thing


@cache
def _placeholder_words() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in read_text("placeholder_alts.txt").splitlines() if line.strip() and not line.startswith("#"))


def _images(doc):
    """(source, alt text, start, end) of each image with an alternative text."""
    for link in doc.links:
        if link.is_image and link.kind in ("inline", "reference") and link.rendered:
            yield link.url, link.text, link.text_start, link.text_end
    for tag in doc.body.tags:
        if tag.name == "img" and not tag.closing:
            values = {name: (value, start, end) for name, value, start, end in tag.attributes}
            source = values.get("src", ("",))[0]
            if "alt" in values and "{{" not in source and "{%" not in source:  # a layout's loop: one tag, many images
                yield source, *values["alt"]


def _suffix(url: str) -> str:
    return PurePosixPath(url.split("?", 1)[0].split("#", 1)[0]).suffix.lower()


class UnshownImageFormat(Rule):
    code = "M008"
    name = "unshown-image-format"
    summary = "Image in a format most browsers do not show (`.tif`, `.tiff`, `.heic`)"
    rationale = (
        "Chrome, Firefox and Edge show no TIFF or HEIC image: the page shows a broken image or "
        "its alternative text. Convert it to PNG, JPEG or WebP."
    )
    bad = "![The lab in 2024](images/lab.tiff)\n"
    good = "![The lab in 2024](images/lab.jpg)\n"

    def check(self, doc, options):
        for link in doc.links:
            if link.is_image and link.rendered and _suffix(link.url) in _UNSHOWN_SUFFIXES:
                kind = _UNSHOWN_SUFFIXES[_suffix(link.url)]
                message = f"{kind} image: most browsers do not show it; convert it to PNG, JPEG or WebP"
                yield self.diagnostic(doc, link.url_start, link.url_end, message)


class PlaceholderAlt(Rule):
    code = "M009"
    name = "placeholder-alt"
    summary = "Alternative text that describes nothing (`image`, `Figure 1`, the file name, one text for every image)"
    rationale = (
        "A screen reader reads the alternative text instead of the image: `image`, `photo`, "
        "`Figure 1` (or `그림1`), the file's name or an identifier tell the listener nothing, and "
        "one text repeated on every image of a page tells them the images are the same. Write "
        "what each image shows."
    )
    bad = "![image](images/lab.jpg)\n\n![IMG_2041.jpg](images/IMG_2041.jpg)\n"
    good = "![The lab at the 2024 retreat](images/lab.jpg)\n\n![Ada presenting the poster](images/IMG_2041.jpg)\n"

    def check(self, doc, options):
        images = list(_images(doc))
        words = _placeholder_words()
        for source, alt, start, end in images:
            text = alt.strip()
            bare = _NUMBERING.sub("", text.lower()).strip()
            if not text:
                continue
            if _CAMERA_NAME.fullmatch(text):
                yield self.diagnostic(doc, start, end, f"alternative text `{text}` is the file's name: say what the image shows")
            elif bare in words:
                yield self.diagnostic(doc, start, end, f"alternative text `{text}` says only that there is an image: say what it shows")
            elif _FILE_NAME.fullmatch(text) or (text == PurePosixPath(source).name and "." in text):
                yield self.diagnostic(doc, start, end, f"alternative text `{text}` is the file's name: say what the image shows")
            elif _GUID.fullmatch(text):
                yield self.diagnostic(doc, start, end, "alternative text is an identifier: say what the image shows")
        alts = {alt.strip() for _, alt, _, _ in images}
        sources = {source for source, _, _, _ in images}
        if len(images) >= SAME_ALT_MIN_IMAGES and len(alts) == 1 and len(sources) > 1 and "" not in alts:
            (_, alt, start, end), *_ = images
            if _NUMBERING.sub("", alt.strip().lower()).strip() not in words:
                yield self.diagnostic(doc, start, end, f"every image of the page has the alternative text `{alt.strip()}`: say what each shows")


RULES = (UnshownImageFormat(), PlaceholderAlt())
