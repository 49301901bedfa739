"""Which passages of a page are English, for the spelling rules (S), which check English only.

A page's `lang` (or its folder, `_pages/fr/`) is taken at its word. Otherwise each passage is
judged by its own words: English function words against the function and academic words of
other languages (language_words.txt), lower-case words with letters English does not use
(`inédite`, `größte`) and elisions (`d'un`, `l'analyse`). A title of a few words often has no
evidence either way: it is in the language of the rest of the page when that is clearly not
English, else in the site's language (`lang`, `locale` or polyglot's `default_lang` in
`_config.yml`), English when the site names none. The site's language is only a default:
academicpages ships `locale: "en-US"`, and sites that keep another locale write pages in
English, whose words then say so.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path, PurePosixPath

from pagelint.text import lexicons

# A hyphenated word is one word: `di-block` is no Italian `di`.
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_ACCENTED = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")  # Latin letters with diacritics; not µ, α
_ELISION = re.compile(r"(?<![^\W\d_])(?:[cdjlmnst]|qu)['’](?=[aeiouhàâéèêîôû])")
_ET_AL = re.compile(r"\bet\.?\s+al\b")  # English citations say `et al.`: no French `et`
_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*")
_FOLDERS = frozenset(
    "fr de es it pt pt-br jp ja zh zh-cn zh-tw ko ru nl sv da no fi pl cs tr el ar he fa hi vi id th uk hu ro".split()
)


def english_function_words() -> frozenset[str]:
    return lexicons.language_words("function")["en"]


@cache
def _foreign_words() -> tuple[frozenset[str], frozenset[str]]:
    """(function words counted in lower case, academic words counted in any case) of the
    languages other than English."""
    function = lexicons.language_words("function")
    academic = lexicons.language_words("academic")
    return (
        frozenset().union(*(words for language, words in function.items() if language != "en")),
        frozenset().union(*academic.values()),
    )


@lru_cache(maxsize=4096)
def evidence(text: str) -> tuple[int, int]:
    """(English words, words of other languages) of a passage, once per distinct passage (link
    texts such as `PDF` and `Slides` recur on every line of a publication list)."""
    english_words = english_function_words()
    function, academic = _foreign_words()
    text = _ET_AL.sub(" ", text)
    english = foreign = 0
    for word in _WORD.findall(text):
        lower = word.lower()
        if lower in english_words:
            english += 1
        elif lower in academic or (word == lower and (lower in function or _ACCENTED.search(word))):
            foreign += 1
    return english, foreign + len(_ELISION.findall(text))


def language_tag(value) -> str:
    """The language of a `lang` or `locale` value (`fr`, `en-US`, `pt_BR`), or ''."""
    match = _TAG.fullmatch(str(value or "").strip().lower())
    return match.group(1) if match else ""


def page_language(doc) -> str:
    """The language the page declares, by its `lang` or its folder in the site (multilingual
    sites keep each language in one: `_pages/fr/cv.md`), or ''."""
    if "page_language" not in doc.memo:
        declared = language_tag(doc.data.get("lang"))
        if not declared:
            inside = doc.site.relative(Path(doc.path)) if doc.site is not None else None
            parts = (inside or PurePosixPath(doc.display_path)).parts[:-1]
            declared = next((part.lower().split("-")[0] for part in parts if part.lower() in _FOLDERS), "")
        doc.memo["page_language"] = declared
    return doc.memo["page_language"]


def default_language(doc) -> str:
    """The language of a passage of this page that gives no evidence of its own."""
    return page_language(doc) or (site_language(doc.site) if doc.site is not None else "") or "en"


@cache
def site_language(site) -> str:
    """The language `_config.yml` names, or ''."""
    config = site.config if isinstance(site.config, dict) else {}
    for key in ("default_lang", "lang_default", "lang", "locale"):
        tag = language_tag(config.get(key))
        if tag:
            return tag
    return ""
