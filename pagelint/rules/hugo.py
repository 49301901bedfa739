"""Hugo rules (H): what makes `hugo` fail, or silently publish something else, as Hugo 0.111 does
it (bench/hugo_compare.py builds every case with the real `hugo`)."""

from __future__ import annotations

from pathlib import Path

from pagelint.diagnostics import Severity
from pagelint.model.generators import hugo_dates, hugo_shortcodes
from pagelint.rules.base import Rule

_EXAMPLE_SITE = {"hugo.toml": 'baseURL = "https://ada.example/"\ntitle = "Ada"\n', "content/post/other.md": "---\ntitle: Other\n---\n"}
_DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified", "expirydate", "unpublishdate")


def _shortcodes(doc) -> list:
    """The page's shortcode tags, scanned once for the rules that read them."""
    if "shortcodes" not in doc.memo:
        body = doc.body_start
        doc.memo["shortcodes"] = list(hugo_shortcodes.scan(doc.text, body)) if "{{" in doc.text[body:] else []
    return doc.memo["shortcodes"]


def _themes(site) -> tuple[str, ...]:
    theme = site.config.get("theme")
    names = theme if isinstance(theme, list) else [theme] if isinstance(theme, str) and theme else []
    return tuple(str(name) for name in names)


def _modules(site) -> list[str]:
    module = site.config.get("module")
    imports = module.get("imports") if isinstance(module, dict) else None
    return [str(item.get("path", "")) if isinstance(item, dict) else str(item) for item in imports] if isinstance(imports, list) else []


def _provided(doc, name: str) -> str | None:
    """"paired", "single" or "either" for a shortcode the site, Hugo or the template provides."""
    site = doc.site
    own = hugo_shortcodes.own_shortcode(site.root, _themes(site), name, site.max_file_size)
    return own or hugo_shortcodes.known_shortcodes(site.template).get(name)


class HugoRule(Rule):
    """A rule of what `hugo` does with a page of a Hugo site: an error by default."""

    example_site = _EXAMPLE_SITE
    severity = Severity.ERROR
    generator = "hugo"

    def check(self, doc, options):
        if doc.site is not None and doc.syntax in ("markdown", "html") and doc.kind not in ("config", "data"):
            yield from self.check_page(doc, options)

    def check_page(self, doc, options):
        raise NotImplementedError


class ShortcodeSyntax(HugoRule):
    code = "H001"
    name = "shortcode-syntax"
    summary = "Shortcode never closed, closed twice, closed out of order, or closed where it takes no content"
    rationale = (
        "Hugo reads every `{{< name >}}` and `{{% name %}}` of a page before its Markdown, in code "
        "and HTML comments too (write `{{</* name */>}}` to show one), and stops the whole build on "
        "one it cannot pair: a tag without its `>}}`, a `{{< /name >}}` with none open or not the "
        "innermost, a shortcode whose template reads its content (`callout`, `spoiler`, `highlight`) "
        "without its closing tag, and a closing tag for one that takes no content (`youtube`)."
    )
    bad = "---\ntitle: News\n---\n{{< callout note >}}\nTwo PhD positions are open.\n"
    good = "---\ntitle: News\n---\n{{< callout note >}}\nTwo PhD positions are open.\n{{< /callout >}}\n"
    example_path = "content/post/news.md"
    example_site = {**_EXAMPLE_SITE, "layouts/shortcodes/callout.html": "<div>{{ .Inner | markdownify }}</div>\n"}

    def check_page(self, doc, options):
        open_tags: list = []
        for event in _shortcodes(doc):
            if isinstance(event, hugo_shortcodes.Problem):
                yield self.diagnostic(doc, event.start, event.end, f"{event.message}: `hugo` stops with \"unclosed shortcode action\"")
                continue
            if event.closing:
                match = next((index for index in range(len(open_tags) - 1, -1, -1) if open_tags[index].name == event.name), None)
                if match is None:
                    yield self.diagnostic(
                        doc, event.start, event.end,
                        f"`{{{{< /{event.name} >}}}}` closes no open `{event.name}`: `hugo` stops with \"got closing shortcode, but none is open\"",
                    )
                    continue
                # the shortcodes opened inside it and never closed take no content (or are reported below)
                yield from self._unclosed(doc, open_tags[match + 1 :])
                opened = open_tags[match]
                del open_tags[match:]
                if _provided(doc, event.name) == "single":
                    yield self.diagnostic(
                        doc, opened.start, event.end,
                        f"`{event.name}` takes no content, yet a closing tag is given: `hugo` stops with \"shortcode \\\"{event.name}\\\" "
                        "does not evaluate .Inner, yet a closing tag was provided\"",
                    )
            elif not event.self_closed and event.name not in ("ref", "relref"):
                open_tags.append(event)
        yield from self._unclosed(doc, open_tags)

    def _unclosed(self, doc, tags):
        for opened in tags:
            if _provided(doc, opened.name) == "paired":
                yield self.diagnostic(
                    doc, opened.start, opened.end,
                    f"`{opened.name}` is never closed with `{{{{< /{opened.name} >}}}}`: `hugo` stops with \"shortcode "
                    f"\\\"{opened.name}\\\" must be closed or self-closed\"",
                )


class UnknownShortcode(HugoRule):
    code = "H002"
    name = "unknown-shortcode"
    summary = "Shortcode that neither the site, nor Hugo, nor the site's template provides"
    rationale = (
        "Hugo stops the build with \"template for shortcode not found\" when no template of the "
        "site (`layouts/shortcodes/`, a theme in `themes/`), of Hugo itself or of the site's "
        "modules defines a shortcode: usually a misspelt name (`{{< youtbe >}}`), or one from "
        "another template's documentation. Modules (Hugo Blox's) are not fetched: for a site that "
        "uses modules or a theme pagelint does not have, a name it does not know is information."
    )
    bad = "---\ntitle: Talk\n---\n{{< youtbe id=\"dQw4w9WgXcQ\" >}}\n"
    good = "---\ntitle: Talk\n---\n{{< youtube id=\"dQw4w9WgXcQ\" >}}\n"
    example_path = "content/post/talk.md"

    def check_page(self, doc, options):
        site = doc.site
        unresolved = [name for name in (*_modules(site), *_themes(site)) if not (site.root / "themes" / name).is_dir()]
        reported: set[str] = set()
        for event in _shortcodes(doc):
            if not isinstance(event, hugo_shortcodes.Shortcode) or event.closing or event.name in reported:
                continue
            if _provided(doc, event.name) is not None:
                continue
            reported.add(event.name)
            where = f"not in `layouts/shortcodes/`, nor one of Hugo's, nor of {site.template}"
            if unresolved:
                yield self.diagnostic(
                    doc, event.start, event.end,
                    f"shortcode `{event.name}` is {where}: unless a module or theme pagelint cannot fetch ({', '.join(unresolved)}) "
                    "defines it, `hugo` stops with \"template for shortcode not found\"",
                    severity=Severity.INFO,
                )
            else:
                yield self.diagnostic(
                    doc, event.start, event.end, f"shortcode `{event.name}` is {where}: `hugo` stops with \"template for shortcode "
                    f"\\\"{event.name}\\\" not found\"",
                )


class MissingRef(HugoRule):
    code = "H003"
    name = "missing-ref"
    summary = "`{{< ref >}}` or `{{< relref >}}` to a page that does not exist"
    rationale = (
        "Hugo looks up the target of `ref` and `relref` while it builds, from the page's folder and "
        "from the content folder's root, and stops the build with REF_NOT_FOUND when no page is "
        "there (its default `refLinksErrorLevel`): a page renamed or moved, a bundle's folder "
        "misspelt."
    )
    bad = "---\ntitle: Post\n---\nSee [the other post]({{< ref \"post/othr.md\" >}}).\n"
    good = "---\ntitle: Post\n---\nSee [the other post]({{< ref \"post/other.md\" >}}).\n"
    example_path = "content/post/post.md"

    def check_page(self, doc, options):
        page = doc.site.relative(Path(doc.path))
        if page is None:
            return
        for event in _shortcodes(doc):
            if not isinstance(event, hugo_shortcodes.Shortcode) or event.name not in ("ref", "relref") or not event.arguments:
                continue
            target = next((argument.split("=", 1)[1].strip('"') for argument in event.arguments if argument.startswith("path=")), event.arguments[0])
            if "{{" in target or doc.site.reading_rules.ref_found(doc.site.files, page, target):
                continue
            yield self.diagnostic(
                doc, event.start, event.end, f"no page `{target}` for `{event.name}`: `hugo` stops with REF_NOT_FOUND (\"page not found\")"
            )


class HugoDate(HugoRule):
    code = "H004"
    name = "hugo-date"
    summary = "Front matter date Hugo cannot read: the page is dated 0001-01-01"
    rationale = (
        "Hugo reads `date`, `publishDate`, `lastmod` and `expiryDate` in a few fixed forms "
        "(2006-01-02, 2006-01-02T15:04:05Z, `02 Jan 2006`, RFC 1123...). Hugo 0.111 builds a page "
        "whose date it cannot read (`2023-05`, `May 3, 2023`, `2023-5-1`, `2023-02-30`) without a "
        "word and dates it January 1 of year 1: it is listed last, shown as `January 1, 0001`, and "
        "its place in feeds is lost. A bare year is seconds since 1970 to Hugo."
    )
    bad = "---\ntitle: Workshop\ndate: May 3, 2023\n---\n"
    good = "---\ntitle: Workshop\ndate: 2023-05-03\n---\n"
    example_path = "content/post/workshop.md"

    def check_page(self, doc, options):
        block = doc.front_matter
        if block is None or not isinstance(block.data, dict):
            return
        for key, value in block.data.items():
            if str(key).lower() not in _DATE_KEYS or value in (None, "") or hugo_dates.readable(value):
                continue
            position = block.positions.get(str(key))
            start, end = (position.value_start, position.value_end) if position else (block.start, block.start + 3)
            yield self.diagnostic(doc, start, end, f"Hugo cannot read `{key}: {value}` as a date: {hugo_dates.what_hugo_does(value)}")


RULES = (ShortcodeSyntax(), UnknownShortcode(), MissingRef(), HugoDate())
