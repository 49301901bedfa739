"""Front matter rules (F): YAML/TOML blocks that break the build or lose data."""

from __future__ import annotations

import re
from collections import Counter

from pagelint.diagnostics import Severity
from pagelint.rules.base import Rule
from pagelint.text.distance import near_index


class FrontMatterSyntax(Rule):
    code = "F001"
    name = "front-matter-syntax"
    summary = "Front matter (or `_config.yml`) is not valid YAML/TOML"
    rationale = (
        "Jekyll stops the build, or drops the page's front matter, when it cannot parse the YAML "
        "between the `---` lines. The error is reported at the parser's line and column in the "
        "file, with a hint for the usual causes: TAB indentation, an apostrophe inside a "
        "single-quoted value, text after a closing quote, an unquoted `: ` in a value."
    )
    bad = "---\ntitle: 'Ada's homepage'\n---\nHello.\n"
    good = "---\ntitle: \"Ada's homepage\"\n---\nHello.\n"
    severity = Severity.ERROR

    def check(self, doc, options):
        block = doc.front_matter
        if block is None or block.error is None:
            return
        error = block.error
        message = error.message + (f" ({error.hint})" if error.hint else "")
        end = doc.text.find("\n", error.offset)
        yield self.diagnostic(doc, error.offset, error.offset if end < 0 else end, message)


class FrontMatterUnclosed(Rule):
    code = "F002"
    name = "front-matter-unclosed"
    summary = "Front matter opened with `---` is never closed"
    rationale = (
        "A file that starts with `---` but has no closing `---` line is read by Jekyll as having "
        "no front matter at all: its layout, title and permalink are silently lost, and the YAML "
        "is published as text."
    )
    bad = "---\ntitle: Publications\n\nMy papers.\n"
    good = "---\ntitle: Publications\n---\n\nMy papers.\n"
    severity = Severity.ERROR

    def check(self, doc, options):
        block = doc.front_matter
        if block is not None and not block.closed and not doc.is_data_file:
            opening_end = doc.text.find("\n")
            yield self.diagnostic(
                doc, 0, max(opening_end, 0), "front matter is opened here but never closed with a `---` line"
            )


class DuplicateKey(Rule):
    code = "F003"
    name = "duplicate-key"
    summary = "The same key twice in one mapping: YAML silently keeps the last"
    rationale = (
        "When a key appears twice, Jekyll keeps the second value without a word: a `description:` "
        "written carefully at the top is replaced by an empty one further down. Both lines are "
        "named; delete the one that is wrong."
    )
    bad = "---\ntitle: EvoX\ndescription: Routing experts at scale.\ndescription:\n---\n"
    good = "---\ntitle: EvoX\ndescription: Routing experts at scale.\n---\n"

    def check(self, doc, options):
        block = doc.front_matter
        if block is None:
            return
        for path, first, second in block.duplicate_keys:
            first_line = doc.position(first.key_start)[0]
            lost, kept = (_value_text(doc, position) for position in (first, second))
            if lost == kept or lost in ("", '""', "''"):
                # the value kept is the one that counts: nothing is lost, one line is too many
                what = "the same value" if lost == kept else "an empty value first"
                yield self.diagnostic(
                    doc, second.key_start, second.key_end,
                    f"`{path}` is given twice (lines {first_line} and {doc.position(second.key_start)[0]}), with {what}: delete line {first_line}",
                    severity=Severity.INFO,
                )
                continue
            yield self.diagnostic(
                doc, second.key_start, second.key_end,
                f"`{path}` is given twice (lines {first_line} and {doc.position(second.key_start)[0]}): the value of line "
                f"{first_line} is silently lost",
            )


def _value_text(doc, position) -> str:
    return doc.text[position.value_start : position.value_end].strip()


def _yaml_path(error_path) -> str:
    path = ""
    for part in error_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


_YAML_11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n", "true", "false"})


class SchemaViolation(Rule):
    code = "F004"
    name = "schema-violation"
    summary = "Front matter value of the wrong type or missing, by the template's schema"
    rationale = (
        "Each page kind (publication, talk, post, `_config.yml` ...) has a JSON Schema in "
        "`schemas/`, written from what the template's layouts read. A value of the wrong type "
        "renders as nothing or breaks the layout: `title: no` is the boolean false in YAML, a "
        "list where a string is expected prints as a run of words. Each violation is reported at "
        "the key, with what is expected and what the key is for. Configure your own schemas with "
        "`[schemas]` in `.pagelint.toml`."
    )
    bad = "---\ntitle: no\ncollection: publications\nvenue: [NeurIPS, 2024]\n---\n"
    good = "---\ntitle: \"no\"\ncollection: publications\nvenue: NeurIPS 2024\n---\n"
    example_path = "_publications/no.md"
    example_site = {
        "_config.yml": "title: Ada\ncollections:\n  publications:\n    output: true\npublication_category:\n  conferences: {title: Papers}\n"
    }
    fixable = True

    def check(self, doc, options):
        from pagelint.model.schemas import schema_for, surely_valid, validator

        block = doc.front_matter
        if block is None or block.error is not None or block.data is None:
            return
        # `schemas` is no option of the rule's own: it comes from `[schemas]`, whose files are checked
        selected = schema_for(doc, options.get("schemas", {}))
        if selected is None:
            return
        source, schema = selected
        if not isinstance(block.data, dict):
            yield self.diagnostic(
                doc, block.content_start, block.content_start,
                f"front matter must be a mapping of keys to values, not a {type(block.data).__name__}",
            )
            return
        if surely_valid(block.data, schema):
            return
        empty_is_absent = doc.site is not None and doc.site.generator.empty_values_render_nothing
        for error in sorted(validator(source, schema).iter_errors(block.data), key=lambda error: list(map(str, error.path))):
            if error.instance is None and error.validator != "required":
                continue  # an empty value is as if the key were absent, for Jekyll
            if empty_is_absent and error.instance in ("", [], {}) and error.validator != "required":
                continue  # and so is an empty text, list or mapping where templates test the key first
            if _whole_number_for_text(error):
                continue  # `title: 1984` prints as written
            yield self._report(doc, block, error, schema)

    def _report(self, doc, block, error, schema):
        path = _yaml_path(error.path)
        description = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
        about = f" ({description})" if description else ""
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            where = f" in `{path}`" if path else ""
            detail = schema.get("properties", {}).get(missing, {}).get("description", "")
            return self.diagnostic(
                doc, block.start, block.start + 3,
                f"required key `{missing}` is missing{where}" + (f" ({detail})" if detail else ""),
            )
        position = block.positions.get(path)
        start, end = (position.value_start, position.value_end) if position else (block.start, block.start + 3)
        raw = doc.text[start:end]
        if error.validator == "type" and isinstance(error.instance, bool) and raw.strip().lower() in _YAML_11_BOOLEANS:
            return self.diagnostic(
                doc, start, end,
                f"`{path}: {raw}` is the boolean {str(error.instance).lower()} in YAML, not the text {raw!r}: quote it{about}",
                replacement=f'"{raw}"',
            )
        expected = error.validator_value if error.validator == "type" else error.message
        if error.validator == "type":
            expected = " or ".join(expected) if isinstance(expected, list) else expected
            message = f"`{path}` should be {_article(expected)}, not {_kind_of(error.instance)}{about}"
        else:
            message = f"`{path}`: {error.message}{about}"
        return self.diagnostic(doc, start, end, message)


def _article(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _kind_of(value) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "a mapping",
            type(None): "empty"}.get(type(value), type(value).__name__)


def _whole_number_for_text(error) -> bool:
    """A whole number where text is expected: Liquid prints it as it is written (a float may
    not be: `1.10` prints 1.1, and `no` is false)."""
    expected = error.validator_value if error.validator == "type" else None
    wants_text = expected == "string" or (isinstance(expected, list) and "string" in expected)
    return wants_text and isinstance(error.instance, int) and not isinstance(error.instance, bool)


class UnknownKeyNearMiss(Rule):
    code = "F005"
    name = "unknown-key-near-miss"
    summary = "Unknown key one or two edits from a known one (`outlput`, `Title`, `redirects`)"
    rationale = (
        "Custom keys are fine (`year`, `pubtype`, `latitude`), but a key one or two letters away "
        "from one the template reads, or differing only in case, is a typo: the template never "
        "sees it, so `outlput: true` leaves a collection unpublished and `Title:` leaves the page "
        "untitled. The fix renames the key, unless that would make a duplicate key (the mapping has "
        "that key already, or a second key would be renamed to it)."
    )
    bad = "---\nTitle: About me\npermalnk: /about/\n---\n"
    good = "---\ntitle: About me\npermalink: /about/\n---\n"
    fixable = True

    def check(self, doc, options):
        from pagelint.model.schemas import schema_for

        block = doc.front_matter
        if block is None or not isinstance(block.data, dict):
            return
        selected = schema_for(doc, options.get("schemas", {}))
        if selected is None:
            return
        # Every key as written, also those a later duplicate overwrote (`outlput:` in a
        # collection defined twice), so walk the positions rather than the data.
        near_misses = []
        case_sensitive = doc.site is None or doc.site.generator.case_sensitive_keys
        for path, position in block.positions.items():
            if path.endswith("]"):
                continue
            parent, _, key = path.rpartition(".")
            schema = _schema_at(selected[1], parent)
            properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
            if not properties or key in properties or (not case_sensitive and key.lower() in {name.lower() for name in properties}):
                continue
            match = near_index(tuple(properties)).first_near(key)
            if match is None or _numbered_variant(key, match) or _superseded(block.data, parent, key, match):
                continue
            near_misses.append((key, match, position))
        # A rename must not make a duplicate key: not when the mapping has the key already,
        # nor when two of its keys would both become it (which one is meant is a guess).
        mappings = block.sibling_keys
        targets = Counter((id(mappings[position.key_start]), match) for _, match, position in near_misses)
        for key, match, position in near_misses:
            what = "differs only in case from" if key.lower() == match.lower() else "looks like a typo of"
            mapping = mappings[position.key_start]
            if match in mapping:
                message = f"unknown key `{key}` {what} `{match}`, which this mapping already has: the template ignores `{key}`"
                yield self.diagnostic(doc, position.key_start, position.key_end, message)
            else:
                yield self.diagnostic(
                    doc, position.key_start, position.key_end, f"unknown key `{key}` {what} `{match}`: the template reads `{match}`",
                    replacement=match if targets[id(mapping), match] == 1 else None,
                )


def _numbered_variant(key: str, known: str) -> bool:
    """`github2` beside `github`: a second account, named so on purpose, not a typo."""
    return key != known and key.rstrip("0123456789") == known


def _superseded(data: dict, parent: str, key: str, known: str) -> bool:
    """The key sits in a mapping that a later duplicate replaced, and the replacement has the
    known key: the typo never reaches the build (F003 reports the duplicate)."""
    mapping: object = data
    for part in parent.split(".") if parent else ():
        mapping = mapping.get(part) if isinstance(mapping, dict) else None
    return isinstance(mapping, dict) and key not in mapping and known in mapping


def _schema_at(schema, path: str):
    """The schema that applies at a dotted key path (properties, then additionalProperties)."""
    for part in path.split(".") if path else ():
        if not isinstance(schema, dict):
            return None
        part = re.sub(r"\[\d+\]$", "", part)
        schema = schema.get("properties", {}).get(part, schema.get("additionalProperties"))
    return schema


class EmptyValue(Rule):
    code = "F006"
    name = "empty-value"
    summary = "URL key with an empty value, which still renders an empty link"
    rationale = (
        "In Liquid an empty string is true: `{% if post.paperurl %}` still renders \"Download "
        "paper\" when the front matter says `paperurl: \"\"`, and the link leads back to the page. "
        "Remove the key until there is something to link to."
    )
    bad = "---\ntitle: EvoX\npaperurl: \"\"\n---\n"
    good = "---\ntitle: EvoX\n---\n"
    fixable = True

    def check(self, doc, options):
        from pagelint.model.links import _is_url_key

        block = doc.front_matter
        if block is None or not isinstance(block.data, dict) or doc.is_data_file:
            return  # in `_config.yml`, an empty `baseurl` is what a user site needs
        if doc.site is not None and doc.site.generator.empty_values_render_nothing:
            return  # Go templates test a key with `with` or `if`, to which an empty string is false
        for key, value in block.data.items():
            position = block.positions.get(str(key))
            if value == "" and position is not None and _is_url_key(str(key)):
                line_start = doc.text.rfind("\n", 0, position.key_start) + 1
                line_end = doc.text.find("\n", position.value_end)
                yield self.diagnostic(
                    doc, position.key_start, position.value_end,
                    f"`{key}` is empty but still renders a link: remove the key or fill it in",
                    replacement="", safe=False,
                    fix_span=(line_start, line_end + 1 if line_end >= 0 else len(doc.text)),
                )


RULES = (FrontMatterSyntax(), FrontMatterUnclosed(), DuplicateKey(), SchemaViolation(), UnknownKeyNearMiss(), EmptyValue())
