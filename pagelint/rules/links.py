"""Link rules (L), offline: links that are malformed, empty, mistyped, insecure, private,
unsafe, or point at nothing, and academic identifiers that cannot exist."""

from __future__ import annotations

import bisect
import datetime
import fnmatch
import ipaddress
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from pagelint.data import load_json, read_text
from pagelint.diagnostics import Severity
from pagelint.rules.base import Option, Rule
from pagelint.text.distance import one_edit_apart

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]{0,31}):")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[\w.!#$%&'*+/=?^`{{|}}~-]+@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,}}$")
_DOMAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,250}\.[A-Za-z]{2,}")
_LOCAL_PART = re.compile(r"[\w.+-]{1,64}$")
_LINK_TARGET_START = re.compile(r"(?:https?://|www\.|mailto:|/)")
_AT_WORD = re.compile(r"[\[(]\s{0,3}at\s{0,3}[\])]\s{0,3}", re.IGNORECASE)


@cache
def _tables() -> dict:
    return load_json("links.json")


@lru_cache(maxsize=8192)
def _split(url: str) -> SplitResult | None:
    """urlsplit, once per distinct URL of the run (pages cite the same URLs again and again);
    None for a URL that cannot be split, such as `http://[x]/` (a bracketed host that is no
    IP address)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def _host(url: str) -> str:
    parts = _split(url)
    return (parts.hostname or "").rstrip(".") if parts is not None else ""


def _host_matches(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _is_templated(url: str) -> bool:
    return "{{" in url or "{%" in url


def _in_spans(spans: list[tuple[int, int]], offset: int) -> bool:
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


class LinkRule(Rule):
    """A rule over the page's URLs. Every such rule takes `ignore`."""

    options = {"ignore": Option([], "URL glob patterns, case-sensitive (`https://intranet.example.edu/*`), whose links are left alone")}

    def targets(self, doc, options):
        patterns = options.get("ignore") or ()
        if not patterns:
            return doc.link_targets
        return [target for target in doc.link_targets if not any(fnmatch.fnmatchcase(target.url, pattern) for pattern in patterns)]


class MalformedLink(Rule):
    code = "L001"
    name = "malformed-link"
    summary = "Link written so that it renders wrongly or not at all"
    rationale = (
        "A Markdown link only works when written exactly: `[text](url)`. Doubled parentheses make "
        "the URL start with `(` so the browser opens a relative path; a space between `]` and `(` "
        "prints the brackets and the URL as text; a raw space inside the URL ends the link (in "
        "CommonMark; kramdown, Jekyll's default, makes the link and the browser encodes the space); and "
        "Markdown link syntax inside an HTML block or an `.html` file is never converted."
    )
    bad = "Our paper [EvoX]((https://arxiv.org/abs/2101.00001)) and [code] (https://github.com/ada/evox).\n"
    good = "Our paper [EvoX](https://arxiv.org/abs/2101.00001) and [code](https://github.com/ada/evox).\n"
    fixable = True

    def check(self, doc, options):
        inline_starts = set()
        for link in doc.links:
            if link.kind != "inline":
                continue
            inline_starts.add(link.url_start)
            url = link.url
            doubled = len(url) > 2 and (url[0], url[-1]) in (("(", ")"), ("[", "]"))
            # Where Markdown is not converted, that is the problem: parentheses set right there
            # would still leave a link that is not made.
            if not link.rendered and not doc.text.startswith("!", link.start):
                where = "an .html file" if doc.syntax == "html" else "an HTML block"
                href = url[1:-1] if doubled else url
                yield self.diagnostic(
                    doc, link.start, link.end,
                    f"Markdown link inside {where} is not converted: write `<a href=\"{href}\">` instead",
                    replacement=f'<a href="{href}">{link.text}</a>', safe=False,
                )
            elif doubled:
                yield self.diagnostic(
                    doc, link.url_start, link.url_end,
                    f"doubled {'parentheses' if url[0] == '(' else 'brackets'} around the URL: it becomes the relative path `{url}`",
                    replacement=url[1:-1],
                )
        for region in doc.body.regions:
            if region.kind == "inline":
                yield from self._broken_syntax(doc, region, inline_starts)

    def _broken_syntax(self, doc, region, inline_starts):
        text = doc.text
        prose = doc.prose_spans
        position = region.start
        # The latest `[`, newline and `]` before each `]`, found in one forward pass: looking back
        # from every `]` would rescan a long line once per bracket.
        opening = newline = previous_close = -1
        while True:
            close = text.find("]", position, region.end)
            if close < 0:
                return
            opening = max(opening, text.rfind("[", position, close))
            newline = max(newline, text.rfind("\n", position, close))
            closed_before = previous_close
            previous_close = close
            position = close + 1
            if not _in_spans(prose, close):
                continue
            after = close + 1
            gap = after
            while gap < region.end and text[gap] in " \t":
                gap += 1
            if gap >= region.end or text[gap] != "(" or (gap == after and gap + 1 in inline_starts):
                continue  # no `(` after the `]`, or a link that is made
            if opening < 0 or opening < newline or closed_before > opening:
                continue
            target_end = text.find(")", gap, min(region.end, gap + 2000))
            target = text[gap + 1 : target_end] if target_end > 0 else ""
            if not _LINK_TARGET_START.match(target):
                continue
            if gap > after:
                yield self.diagnostic(
                    doc, after, gap, "space between `]` and `(`: this is not a link, the URL is printed as text",
                    replacement="",
                )
            elif gap + 1 not in inline_starts and " " in target and "\n" not in target and not _spaces_make_links(doc):
                url = target.split(' "')[0].split(" '")[0]
                if " " in url:
                    yield self.diagnostic(
                        doc, gap + 1, gap + 1 + len(url), "raw space inside the URL: the link is not made",
                        replacement=url.replace(" ", "%20"), safe=False,
                    )


def _spaces_make_links(doc) -> bool:
    """kramdown (Jekyll's default) makes `[text](a b.pdf)` a link, whose spaces browsers encode;
    CommonMark, and so markdown-it here, does not."""
    return doc.site is not None and doc.site.markdown_engine == "kramdown"


class EmptyLink(Rule):
    code = "L002"
    name = "empty-link"
    summary = "Link with an empty target or empty text"
    rationale = (
        "`[Chapter 1]()` renders as a link to the page itself, usually a placeholder never filled "
        "in; `[](https://...)` renders an invisible link that keyboard and screen-reader users still reach."
    )
    bad = "Read [Chapter 1]() and [](https://example.org).\n"
    good = "Read [Chapter 1](/files/chapter1.pdf) and [the project](https://example.org).\n"

    def check(self, doc, options):
        for link in doc.links:
            if not link.rendered:
                continue  # not a link at all: L001 reports it
            if link.kind == "inline" and not link.url.strip():
                yield self.diagnostic(doc, link.start, link.end, f"link `{link.text or '(no text)'}` has an empty target")
            elif link.kind == "inline" and not link.is_image and not link.text.strip():
                yield self.diagnostic(doc, link.start, link.end, "link has no text: it is invisible on the page")
            elif link.kind == "html" and link.attribute == "href" and not link.url.strip():
                yield self.diagnostic(doc, link.start, link.end, "`href` is empty: the link points at the page itself")


class SchemeTypo(LinkRule):
    code = "L003"
    name = "scheme-typo"
    summary = "Mistyped or missing URL scheme (`maito:`, `htps://`, `http//`, `www.` alone)"
    rationale = (
        "A mistyped scheme makes the browser treat the link as a relative path on your own site, "
        "so `maito:ada@uni.edu` or `htps://...` leads to a 404; `www.example.org` without "
        "`https://` does the same, and so does an email address without `mailto:` (written `<ada@uni.edu>`, "
        "it is a mail link already). Which scheme was meant is a guess (an unsafe fix) for `www.` and "
        "wherever the repair gives `http:`, which the host may serve as `https:`."
    )
    bad = "Write to [me](maito:ada@uni.example.edu) or see [the lab](www.example.org).\n"
    good = "Write to [me](mailto:ada@uni.example.edu) or see [the lab](https://www.example.org).\n"
    fixable = True

    def check(self, doc, options):
        for target in self.targets(doc, options):
            url = target.url.strip()
            if not url or _is_templated(url) or (target.link is not None and target.link.kind == "bare"):
                continue
            autolink = target.link is not None and target.link.kind == "autolink"
            fixed, problem = _scheme_repair(url, autolink)
            if fixed is not None:
                # A link repaired to `http:` is one that L004 reports, and whether the host serves
                # `https:` is a guess: such a repair is left to --unsafe-fixes.
                safe = not url.startswith("www.") and not fixed.lower().startswith("http:")
                yield self.diagnostic(doc, target.start, target.end, problem, replacement=fixed, safe=safe)


@lru_cache(maxsize=8192)
def _scheme_repair(url: str, autolink: bool) -> tuple[str | None, str]:
    """The URL with its scheme repaired and what was wrong, or (None, ''): once per distinct URL.
    `autolink`: the URL is written `<...>`, where an email address is a mailto link already."""
    typos = _tables()["scheme_typos"]
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() in typos:
        right = typos[scheme.group(1).lower()]
        rest = url[scheme.end() :]
        if right.startswith("http") and not rest.startswith("//"):
            rest = "//" + rest.lstrip("/")
        return f"{right}:{rest}", f"`{scheme.group(1)}:` is not a URL scheme; did you mean `{right}:`?"
    missing_colon = re.match(r"^(https?)//", url, re.IGNORECASE)
    if missing_colon:
        return f"{missing_colon.group(1)}://{url[missing_colon.end():]}", "the URL's `:` is missing: it is a relative path"
    one_slash = re.match(r"^(https?):/(?!/)", url, re.IGNORECASE)
    if one_slash:
        return f"{one_slash.group(1)}://{url[one_slash.end():]}", "`:/` needs two slashes: `://`"
    if url.lower().startswith("www."):
        return "https://" + url, "`www.` without `https://` is a relative link to a path on your own site"
    if _EMAIL.match(url) and not autolink:
        return "mailto:" + url, "an email address as a link needs `mailto:`; without it, it is a relative path"
    return None, ""


class InsecureLink(LinkRule):
    code = "L004"
    name = "insecure-link"
    summary = "`http://` link where `https://` is expected"
    rationale = (
        "Plain `http://` links can be read and rewritten on the way, browsers mark them as not "
        "secure, and most academic sites now answer on `https://`. `pagelint check --online` tells "
        "which ones do (L104). Hosts that only serve http can be allowed in the options."
    )
    bad = "My advisor: [Prof. Ada Byron](http://people.example.edu/~ada/).\n"
    good = "My advisor: [Prof. Ada Byron](https://people.example.edu/~ada/).\n"
    severity = Severity.INFO
    fixable = True
    options = {**LinkRule.options, "allowed-hosts": Option([], "Hosts, with their subdomains, whose `http://` links are not reported")}

    def check(self, doc, options):
        allowed = tuple(options["allowed-hosts"])
        for target in self.targets(doc, options):
            url = target.url.strip()
            if url[:7].lower() != "http://" or _is_templated(url):
                continue
            host = _host(url)
            if not host or _private_host(host) or any(_host_matches(host, item) for item in allowed):
                continue
            yield self.diagnostic(
                doc, target.start, target.start + 7, f"insecure `http://` link to {host}",
                replacement="https://", safe=False,
            )


@lru_cache(maxsize=8192)
def _private_host(host: str) -> str:
    """Why a host is not on the public internet, or ''."""
    if host in ("localhost", "localhost.localdomain") or host.endswith((".localhost", ".local", ".internal", ".lan")):
        return "a local host name"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return ""
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_private or address.is_unspecified:
        return "a private address"
    return ""


def _is_loopback(host: str) -> bool:
    """`localhost` and 127.0.0.1 name whatever computer the reader is at."""
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class TrackingParameter(LinkRule):
    code = "L005"
    name = "private-or-tracking-parameter"
    summary = "URL carries tracking, session or private parameters, or grants edit access"
    rationale = (
        "Links copied from a browser often carry what was never meant to be published: "
        "`utm_*`/`fbclid` tracking tags, session tokens, OpenReview's `referrer` that names your "
        "Author Console, or a link to your Overleaf project, which visitors cannot open. The fix "
        "removes the parameters; project links must be replaced by hand (a read-only link). A value "
        "that an embed code generator writes for everyone (Spotify's `utm_source=generator`) tracks nobody."
    )
    bad = "[Paper](https://openreview.net/forum?id=Ab12Cd&referrer=%5BAuthor%20Console%5D) and [slides](https://example.org/s?utm_source=twitter).\n"
    good = "[Paper](https://openreview.net/forum?id=Ab12Cd) and [slides](https://example.org/s).\n"
    fixable = True
    options = {**LinkRule.options, "extra-parameters": Option([], "More query parameter names (any case) reported and removed like `utm_source`")}

    def check(self, doc, options):
        tables = _tables()
        generic = {name.lower() for name in tables["tracking_parameters"]} | {
            name.lower() for name in options["extra-parameters"]
        }
        private = {name.lower() for name in tables["private_parameters"]}
        for target in self.targets(doc, options):
            url = target.url
            if not url.lower().startswith(("http://", "https://")) or _is_templated(url):
                continue
            host = _host(url)
            for message in _edit_share_messages(url):
                yield self.diagnostic(doc, target.start, target.end, f"share link grants edit access: {message}")
            query_start = url.find("?")
            if query_start < 0:
                continue
            fragment_start = url.find("#", query_start)
            query_end = fragment_start if fragment_start >= 0 else len(url)
            by_host = {
                name.lower()
                for domain, names in tables["tracking_parameters_by_host"].items()
                if _host_matches(host, domain)
                for name in names
            }
            untracked = {
                name.lower(): value
                for domain, parameters in tables["untracked_by_host"].items()
                if _host_matches(host, domain)
                for name, value in parameters.items()
            }
            kept, dropped = [], []
            offset = query_start + 1
            for piece in url[query_start + 1 : query_end].split("&"):
                name, _, value = (unquote(part) for part in piece.partition("="))
                name = name.lower()
                if untracked.get(name) == value:
                    kept.append(piece)
                elif name in generic or name in by_host or name.startswith("utm_") or name in private:
                    dropped.append((name, offset, offset + len(piece)))
                else:
                    kept.append(piece)
                offset += len(piece) + 1
            if not dropped:
                continue
            cleaned = url[:query_start] + ("?" + "&".join(kept) if kept else "") + url[query_end:]
            name, start, end = dropped[0]
            names = ", ".join(f"`{item[0]}`" for item in dropped)
            reason = tables["private_parameter_messages"].get(name) or (
                "a session or access token" if name in private else "a tracking parameter"
            )
            yield self.diagnostic(
                doc, target.start + start, target.start + end,
                f"URL carries {names}, {reason}; the clean link is {cleaned}",
                replacement=cleaned, fix_span=(target.start, target.end),
            )


@lru_cache(maxsize=8192)
def _edit_share_messages(url: str) -> tuple[str, ...]:
    """Why the URL is a share link that grants edit access (none, mostly), once per distinct URL."""
    host = _host(url)
    parts = _split(url)
    path = parts.path if parts is not None else ""
    return tuple(
        rule["message"]
        for rule in _tables()["edit_share_links"]
        if _host_matches(host, rule["host"])
        and (path.startswith(rule.get("path_prefix", "\0")) or rule.get("path_contains", "\0") in path)
    )


class MissingTarget(LinkRule):
    code = "L006"
    name = "missing-target"
    summary = "Internal link to a file or page that does not exist in the site"
    rationale = (
        "A link to `/files/paper.pdf` or to another page of the site is only checked when the "
        "site is built and someone clicks it. pagelint resolves internal links against the site's "
        "files and every page's permalink (front matter, collection patterns, `redirect_from`), "
        "with `baseurl` and Liquid prefixes such as `{{ base_path }}` understood. A relative link "
        "such as `files/paper.pdf` resolves under the page's own URL (`/publication/x/files/...`) "
        "and is reported with the absolute form as the fix."
    )
    bad = "---\npermalink: /publication/evox\n---\n[PDF](files/evox.pdf) and [CV](/files/cv-2023.pdf)\n"
    good = "---\npermalink: /publication/evox\n---\n[PDF](/files/evox.pdf) and [CV](/files/cv.pdf)\n"
    example_path = "_publications/evox.md"
    example_site = {
        "_config.yml": "title: Ada\ncollections:\n  publications:\n    output: true\n",
        "files/evox.pdf": "%PDF",
        "files/cv.pdf": "%PDF",
    }
    fixable = True

    def check(self, doc, options):
        site = doc.site
        if site is None:
            return
        from pagelint.model import internal_links

        for target in self.targets(doc, options):
            if target.link is not None and target.link.kind in ("bare", "autolink"):
                continue  # a URL written as text, and `<https://...>` or `<ada@uni.edu>`, are no internal links
            if target.link is not None and target.link.embeds:
                continue  # an image: M004 reports it
            verdict = internal_links.resolve(site, doc, target.url, in_front_matter=target.link is None)
            if verdict is not None:
                message, replacement = verdict
                yield self.diagnostic(doc, target.start, target.end, message, replacement=replacement, safe=False)


class MissingAnchor(Rule):
    code = "L007"
    name = "missing-anchor"
    summary = "`#fragment` that matches no heading or id on the page"
    rationale = (
        "A link to `#publications` scrolls nowhere when the heading's id is `publications-1` or "
        "the heading was renamed. Heading ids are computed as kramdown (Jekyll's Markdown "
        "converter) computes them, and explicit `{#id}` and HTML `id=` attributes count too."
    )
    bad = "See [my papers](#publication).\n\n## Publications\n"
    good = "See [my papers](#publications).\n\n## Publications\n"
    fixable = True

    def check(self, doc, options):
        if doc.syntax != "markdown":
            return
        relative = doc.site.relative(Path(doc.path)) if doc.site is not None else None
        if relative is not None and not doc.site.generator.anchors_complete(doc.site, relative, doc.data):
            return  # the ids are in the files shown with it, or in the template
        from pagelint.model import internal_links

        ids = None
        for link in doc.links:
            if not link.url.startswith("#") or len(link.url) < 2 or link.url_start < 0 or _is_templated(link.url):
                continue
            if ids is None:
                ids = internal_links.anchors(doc)
            fragment = unquote(link.url[1:])
            if fragment in ids or fragment.startswith(("fn:", "fnref:", "!")) or fragment in ("top", "main", "content"):
                continue
            if _names_a_sibling_page(doc, fragment):
                continue
            folded = {anchor.lower(): anchor for anchor in ids}
            if fragment.lower() in folded:
                right = folded[fragment.lower()]
                yield self.diagnostic(
                    doc, link.url_start, link.url_end, f"`#{fragment}` differs in case from the id `#{right}`",
                    replacement="#" + right,
                )
            else:
                yield self.diagnostic(doc, link.url_start, link.url_end, f"no heading or element has the id `{fragment}`")


def _names_a_sibling_page(doc, fragment: str) -> bool:
    """Whether `#fragment` is the name of another page in the page's folder (`#open-methods`
    beside `open-methods.md`): the author links to where a listing page, which shows every
    document of the collection with an id its layout makes from each, puts that document."""
    if doc.site is None:
        return False
    folder = Path(doc.path).parent
    return any((folder / f"{fragment}{suffix}").is_file() for suffix in (".md", ".markdown", ".html"))


@cache
def _academic_domains() -> frozenset[str]:
    lines = read_text("academic_domains.txt").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def domain_near_miss(domain: str) -> str | None:
    """The well-known academic domain or suffix that `domain` misspells, if any."""
    domain = domain.lower().rstrip(".")
    labels = domain.split(".")
    known = _academic_domains()
    if any(".".join(labels[index:]) in known for index in range(len(labels))):
        return None
    for count in (3, 2, 1):
        if len(labels) < count:
            continue
        tail = ".".join(labels[-count:])
        for candidate in known:
            if candidate.count(".") == count - 1 and one_edit_apart(tail, candidate):
                return ".".join([*labels[:-count], candidate]) if len(labels) > count else candidate
    return None


class EmailAddress(Rule):
    code = "L008"
    name = "email"
    summary = "Invalid or mistyped email address"
    rationale = (
        "An email address on a homepage is how students and committees reach you. A `mailto:` "
        "with an invalid address, link text showing one address while the link opens another, or "
        "a domain one letter away from a well-known academic one (`stu.pku.edn.cn` for `edu.cn`, "
        "`conncet.ust.hk`) silently loses that mail."
    )
    bad = "Email: [ada@uni.example.edu](mailto:ada@uni.exmple.edu), or ada.byron@stu.pku.edn.cn\n"
    good = "Email: [ada@uni.example.edu](mailto:ada@uni.example.edu), or ada.byron@stu.pku.edu.cn\n"
    severity = Severity.ERROR
    fixable = True

    def check(self, doc, options):
        typos = _tables()["scheme_typos"]
        for link in doc.links:
            scheme = _SCHEME.match(link.url) if link.url_start >= 0 else None
            if scheme is None or "mailto" not in (scheme.group(1).lower(), typos.get(scheme.group(1).lower())):
                continue
            address = unquote(link.url[scheme.end() :].split("?", 1)[0]).strip()
            address_start = link.url_start + scheme.end()
            if not _EMAIL.match(address):
                yield self.diagnostic(doc, link.url_start, link.url_end, f"`{address}` is not a valid email address")
                continue
            shown = link.text.strip()
            if "@" in shown and _EMAIL.match(shown) and shown.lower() != address.lower():
                yield self.diagnostic(
                    doc, link.url_start, link.url_end,
                    f"the link shows `{shown}` but writes to `{address}`",
                )
            yield from self._domain(doc, address, address_start)
        for region in doc.body.regions:
            if region.kind != "code":
                yield from self._addresses_in_text(doc, region.start, region.end)
        block = doc.front_matter
        if block is not None:
            for path, position in block.positions.items():
                if path.rsplit(".", 1)[-1].lower() == "email":
                    value = doc.text[position.value_start : position.value_end].strip("'\"")
                    start = position.value_start + (1 if doc.text[position.value_start] in "'\"" else 0)
                    if _EMAIL.match(value):
                        yield from self._domain(doc, value, start)

    def _addresses_in_text(self, doc, start: int, end: int):
        """Addresses written as text (`ada@uni.edu`, `ada [at] uni.edu`), found from their `@`
        or `[at]` outwards so that text without one costs a single scan."""
        text = doc.text
        at = text.find("@", start, end)
        while at >= 0:
            local = _LOCAL_PART.search(text, max(start, at - 64), at)
            domain = _DOMAIN.match(text, at + 1, end)
            if local and domain and text[max(local.start() - 7, 0) : local.start()].lower() != "mailto:" and not doc.in_code(at):
                yield from self._domain(doc, text[local.start() : domain.end()], local.start())
            at = text.find("@", at + 1, end)
        if "at" not in text[start:end].lower():
            return
        for word in _AT_WORD.finditer(text, start, end):
            domain = _DOMAIN.match(text, word.end(), end)
            if domain and not doc.in_code(word.start()):
                yield from self._domain(doc, "@" + domain.group(), domain.start() - 1)

    def _domain(self, doc, address: str, address_start: int):
        domain = address.rsplit("@", 1)[1]
        suggestion = domain_near_miss(domain)
        if suggestion:
            start = address_start + address.rindex("@") + 1
            yield self.diagnostic(
                doc, start, start + len(domain), f"`{domain}` looks like a typo of `{suggestion}`", replacement=suggestion,
            )


class UnsafeUrl(LinkRule):
    code = "L009"
    name = "unsafe-url"
    summary = "`javascript:`/`data:` link, or a link to a local or private address"
    rationale = (
        "`javascript:`, `vbscript:` and `data:` links run code or open content in the visitor's "
        "browser and are blocked by many sites; `file://`, `localhost` and private addresses "
        "(10.x, 192.168.x, ...) only work on the author's machine or network, and publish its layout. "
        "A `localhost` or 127.0.0.1 address written as text (`run jekyll serve and open "
        "http://localhost:4000`) is an instruction: it names the reader's own computer, whoever "
        "reads it. As a link (`[demo](http://localhost:8000)`, `<http://localhost:4000>`, `href`) "
        "or a front matter value it is published as a resource that only the author's computer serves, "
        "and a private address names one machine of the author's network even as text: both are reported."
    )
    bad = "[Demo](http://localhost:8000/demo) and [click](javascript:alert(1))\n"
    good = "[Demo](https://demo.example.org/)\n"
    severity = Severity.ERROR

    def check(self, doc, options):
        for target in self.targets(doc, options):
            url = target.url.strip()
            scheme = _SCHEME.match(url)
            name = scheme.group(1).lower() if scheme else ""
            if name in ("javascript", "vbscript") or (name == "data" and not (
                url[5:].lower().startswith("image/") and target.link is not None and target.link.attribute in ("src", "srcset", "")
                and (target.link.is_image or target.link.attribute)
            )):
                yield self.diagnostic(doc, target.start, target.end, f"`{name}:` URL runs code in the visitor's browser")
            elif name == "file":
                yield self.diagnostic(doc, target.start, target.end, "`file:` URL points at a file on the author's computer")
            elif name in ("http", "https"):
                host = _host(url)
                why = _private_host(host)
                if why and not (target.link is not None and target.link.kind == "bare" and _is_loopback(host)):
                    yield self.diagnostic(doc, target.start, target.end, f"link to {why} ({host}): it works only on your machine or network")


_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ARXIV_NEW = re.compile(r"^(\d{2})(\d{2})\.(\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?$")
_ORCID = re.compile(r"^(\d{4})-(\d{4})-(\d{4})-(\d{3}[\dX])$")
# An id ends at a space, a closing bracket or punctuation, or the emphasis around it (`*arXiv:2301.01234*`, `_doi:..._`).
_ID_IN_TEXT = re.compile(r"(?<![^\W_])(doi:\s?|arXiv:\s?)(\S+?)(?=[\s,;)\]*]|_(?!\w)|\.(?:[\s*_]|$)|$)", re.IGNORECASE)


def arxiv_problem(identifier: str) -> str:
    identifier = identifier.removesuffix(".pdf")
    new = _ARXIV_NEW.match(identifier)
    if new:
        year, month, number = int(new.group(1)), int(new.group(2)), new.group(3)
        if not 1 <= month <= 12:
            return f"arXiv id `{identifier}` has month {month:02d}"
        if year < 7 or (year == 7 and month < 4):
            return f"arXiv id `{identifier}` predates the YYMM.NNNN scheme (April 2007)"
        if ((year, month) >= (15, 1) and len(number) != 5) or ((year, month) < (15, 1) and len(number) != 4):
            return f"arXiv id `{identifier}` has {len(number)} digits after the dot; ids of {year:02d}{month:02d} have {5 if year >= 15 else 4}"
        today = datetime.date.today()
        if (2000 + year, month) > (today.year, today.month):
            return f"arXiv id `{identifier}` is from the future ({month:02d}/20{year:02d})"
        return ""
    if _ARXIV_OLD.match(identifier):
        return ""
    return f"`{identifier}` is not an arXiv id (YYMM.NNNNN or archive/YYMMNNN)"


def orcid_problem(identifier: str) -> str:
    match = _ORCID.match(identifier)
    if not match:
        return f"`{identifier}` is not an ORCID iD (0000-0000-0000-000X)"
    digits = identifier.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[-1] != expected:
        return f"ORCID iD `{identifier}` fails its checksum (last character should be {expected})"
    return ""


@lru_cache(maxsize=8192)
def identifier_problem(url: str) -> str:
    """What is wrong with a DOI, arXiv, ORCID or Google Scholar URL, or ''."""
    parts = _split(url)
    if parts is None:
        return ""
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    if _host_matches(host, "doi.org"):
        doi = path.lstrip("/")
        return "" if not doi or _DOI.match(doi) else f"`{doi}` is not a DOI (10.NNNN/suffix)"
    if _host_matches(host, "arxiv.org"):
        match = re.match(r"^/(?:abs|pdf|html)/(.+?)/?$", path)
        return arxiv_problem(match.group(1)) if match else ""
    if _host_matches(host, "orcid.org"):
        identifier = path.strip("/")
        return orcid_problem(identifier) if identifier and "/" not in identifier else ""
    if host.startswith("scholar.google.") and path.startswith("/citations"):
        user = re.search(r"(?:^|&)user=([^&#]*)", parts.query)
        if user and not re.fullmatch(r"[\w-]{12}", user.group(1)):
            return f"Google Scholar user id `{user.group(1)}` is not 12 characters long"
    return ""


class Identifier(LinkRule):
    code = "L010"
    name = "identifier"
    summary = "DOI, arXiv id, ORCID iD or Google Scholar id that cannot exist"
    rationale = (
        "Identifiers have a fixed syntax, and ORCID iDs a checksum: `arXiv:2413.01234` (month 13), "
        "`doi.org/10.12/x` (registrant too short), an ORCID iD with a wrong check digit or a "
        "Scholar `user=` id that is not 12 characters are typos that lead readers nowhere."
    )
    bad = "Preprint: arXiv:2413.01234. ORCID: [0000-0002-1825-0098](https://orcid.org/0000-0002-1825-0098)\n"
    good = "Preprint: arXiv:2312.01234. ORCID: [0000-0002-1825-0097](https://orcid.org/0000-0002-1825-0097)\n"

    def check(self, doc, options):
        for target in self.targets(doc, options):
            if target.url.lower().startswith(("http://", "https://")) and not _is_templated(target.url):
                problem = identifier_problem(target.url.strip())
                if problem:
                    yield self.diagnostic(doc, target.start, target.end, problem)
        for start, end in doc.prose_spans:
            if ":" not in doc.text[start:end]:
                continue
            for match in _ID_IN_TEXT.finditer(doc.text, start, end):
                identifier = match.group(2).rstrip(".")
                if identifier[:1] in "[(<":
                    continue  # the id is a link's text: the link's URL is checked instead
                if match.group(1).lower().startswith("doi"):
                    problem = "" if _DOI.match(identifier) else f"`{identifier}` is not a DOI (10.NNNN/suffix)"
                else:
                    problem = arxiv_problem(identifier)
                if problem:
                    yield self.diagnostic(doc, match.start(2), match.start(2) + len(identifier), problem)


def _scripts(label: str) -> set[str]:
    scripts = set()
    for char in label:
        if char.isalpha():
            scripts.add(unicodedata.name(char, "UNKNOWN").split()[0])
    return scripts


class MixedScriptDomain(LinkRule):
    code = "L011"
    name = "mixed-script-domain"
    summary = "Domain name mixing scripts (a homograph such as Cyrillic `а` in `pаypal.com`)"
    rationale = (
        "A domain label that mixes Latin letters with Cyrillic or Greek look-alikes reads like a "
        "familiar site but is a different one: pasted from a phishing message, or typed with the "
        "wrong keyboard layout. Real internationalised domains use one script per label."
    )
    bad = "Code on [GitHub](https://gіthub.com/ada/evox).\n"
    good = "Code on [GitHub](https://github.com/ada/evox).\n"
    severity = Severity.ERROR

    def check(self, doc, options):
        for target in self.targets(doc, options):
            url = target.url
            if url.isascii() or not url.lower().startswith(("http://", "https://", "//")):
                continue
            host = _host(url)
            for label in host.split("."):
                scripts = _scripts(label)
                if len(scripts) > 1:
                    yield self.diagnostic(
                        doc, target.start, target.end,
                        f"domain label `{label}` mixes {' and '.join(sorted(scripts)).title()} letters",
                    )
                    break


RULES = (
    MalformedLink(), EmptyLink(), SchemeTypo(), InsecureLink(), TrackingParameter(), MissingTarget(),
    MissingAnchor(), EmailAddress(), UnsafeUrl(), Identifier(), MixedScriptDomain(),
)
