"""Which JSON Schema a page's front matter is checked against, and the schemas compiled once.

By default the schema follows the site's template (academicpages, al-folio, plain Jekyll)
and the page's kind (publication, talk, post, config...). The configuration's `[schemas]`
table maps globs to schema files of the user's own, which take precedence.

A user's schema is read from inside its site, and its `$ref`s lead to the shipped schemas
(by their `$id`) and to other files inside the site, nothing else: nothing is ever
downloaded. Every reference is followed when the configuration is read, so that a bad one
is a configuration error; the validators' registry refuses the same ones again.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from pagelint.model.site import SiteFinder

KINDS_WITH_SCHEMAS = {
    "academicpages": {"publication", "talk", "teaching", "portfolio", "post", "config"},
    "al-folio": {"post", "news", "project", "config"},
    "jekyll": {"config"},
    "hugo-blox": {"publication", "event", "post", "project", "author"},
    "hugo": set(),
}
SHIPPED_ID_BASE = "https://pagelint.dev/schemas/"
SCHEMA_MAX_BYTES = 1_000_000


class SchemaError(ValueError):
    """A user's schema that cannot be used; the message names the file."""


@dataclass(frozen=True)
class SchemaFile:
    """A schema file of the configuration's `[schemas]`, and the folder that it and the files
    it refers to must be in."""

    path: str
    root: str


def builtin_name(doc) -> str | None:
    template = doc.site.template if doc.site is not None else "jekyll"
    if doc.kind == "data":
        is_navigation = PurePosixPath(doc.path).name in ("navigation.yml", "navigation.yaml")
        return "academicpages-navigation" if is_navigation and template == "academicpages" else None
    if (doc.is_data_file and doc.kind != "config") or doc.kind == "unpublished":
        return None
    if doc.kind in KINDS_WITH_SCHEMAS[template]:
        return f"{template}-{doc.kind}"
    if doc.kind == "config":
        return None  # a template with no schema of its configuration
    return f"{template}-page"


@cache
def _load_builtin(name: str) -> dict:
    return json.loads(resources.files("pagelint.schemas").joinpath(f"{name}.schema.json").read_text("utf-8"))


@cache
def _shipped_names() -> frozenset[str]:
    entries = resources.files("pagelint.schemas").iterdir()
    return frozenset(entry.name.removesuffix(".schema.json") for entry in entries if entry.name.endswith(".schema.json"))


def schema_root(config_folder: Path) -> str:
    """Where the schemas of a configuration may be read: its site (found as for a page in
    the configuration's folder), else that folder."""
    site = SiteFinder().site_for(config_folder / "schema.json")
    return str((site.root if site is not None else config_folder).resolve())


def user_schema(schema_file: SchemaFile) -> dict | bool:
    return _read_local(Path(schema_file.path), schema_file.root)


def _read_local(path: Path, root: str) -> dict | bool:
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        raise SchemaError(f"{path} is outside the site ({root}): schemas are read only from inside it")
    if not resolved.is_file():
        raise SchemaError(f"{path}: not a regular file" if resolved.exists() else f"{path}: no such schema file")
    status = resolved.stat()
    return _parse_file(str(resolved), status.st_mtime_ns, status.st_size)


@cache
def _parse_file(path: str, mtime_ns: int, size: int) -> dict | bool:
    """The schema in a file, read once while it is unchanged (a process may check a site, edit
    its schema and check it again). A schema that has no `$id` of its own gets the file's
    address, so that its relative references lead to files beside it."""
    try:
        with open(path, "rb") as file:
            raw = file.read(SCHEMA_MAX_BYTES + 1)
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read: {exc.strerror}") from None
    if len(raw) > SCHEMA_MAX_BYTES:
        raise SchemaError(f"{path} is larger than 1 MB, the limit for a schema file")
    try:
        schema = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SchemaError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise SchemaError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise SchemaError(f"{path}: nested too deeply") from None
    if not isinstance(schema, dict | bool):
        raise SchemaError(f"{path}: a JSON Schema is an object (or true or false), not {type(schema).__name__}")
    if isinstance(schema, dict):
        if not isinstance(schema.get("$id", ""), str):
            raise SchemaError(f"{path}: `$id` must be a string")
        schema["$id"] = urljoin(Path(path).as_uri(), schema.get("$id", ""))
    return schema


def schema_for(doc, overrides: dict[str, SchemaFile]) -> tuple[str | SchemaFile, dict | bool] | None:
    """(source, schema) for the page, the source being the shipped schema's name or the
    configuration's schema file; None when no schema applies."""
    absolute = str(Path(doc.path).absolute())
    for pattern, schema_file in overrides.items():
        if fnmatch.fnmatchcase(absolute, pattern) or fnmatch.fnmatchcase(absolute, pattern + "/*"):
            return schema_file, user_schema(schema_file)
    name = builtin_name(doc)
    return (name, _load_builtin(name)) if name else None


_JSON_TYPES = {
    "string": (str,), "number": (int, float), "integer": (int,), "boolean": (bool,), "array": (list,),
    "object": (dict,), "null": (type(None),),
}
_SIMPLE_KEYWORDS = frozenset(
    {"$schema", "$id", "title", "description", "type", "properties", "additionalProperties", "required", "items", "anyOf"}
)


def surely_valid(data, schema) -> bool:
    """True when `data` obviously satisfies a schema written with the simple keywords that
    pagelint's schemas use; False means "ask jsonschema" (which is slow to import, and a
    one-file pre-commit run on valid pages should not pay for it)."""
    if not isinstance(schema, dict) or not set(schema) <= _SIMPLE_KEYWORDS:
        return schema is True
    types = schema.get("type")
    if types is not None:
        allowed = tuple(kind for name in ([types] if isinstance(types, str) else types) for kind in _JSON_TYPES.get(name, ()))
        if not isinstance(data, allowed) or (isinstance(data, bool) and bool not in allowed):
            return False
    if "anyOf" in schema and not any(surely_valid(data, option) for option in schema["anyOf"]):
        return False
    if isinstance(data, dict):
        if any(key not in data for key in schema.get("required", ())):
            return False
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, value in data.items():
            if not surely_valid(value, properties.get(key, extra)):
                return False
    if isinstance(data, list) and "items" in schema:
        return all(surely_valid(item, schema["items"]) for item in data)
    return True


def validator(source: str | SchemaFile, schema: dict | bool):
    return _compiled(source, json.dumps(schema, sort_keys=True))


@cache
def _compiled(source: str | SchemaFile, schema_json: str):
    import jsonschema

    root = source.root if isinstance(source, SchemaFile) else None
    return jsonschema.Draft202012Validator(json.loads(schema_json), registry=_registry(root), format_checker=None)


def _registry(root: str | None):
    """A registry of the documents a `$ref` may lead to, retrieving only from the shipped
    schemas and the files inside `root` (a shipped schema's references are its own)."""
    from referencing import Registry

    return Registry(retrieve=partial(_retrieve, root=root))  # type: ignore[call-arg]  # an attrs field whose alias mypy does not see


def _retrieve(uri: str, root: str | None):
    from referencing.jsonschema import DRAFT202012

    name = uri.removeprefix(SHIPPED_ID_BASE).removesuffix(".schema.json")
    if uri.startswith(SHIPPED_ID_BASE) and name in _shipped_names():
        return DRAFT202012.create_resource(_load_builtin(name))
    parts = urlsplit(uri)
    if parts.scheme == "file" and parts.netloc in ("", "localhost") and root is not None:
        return DRAFT202012.create_resource(_read_local(Path(unquote(parts.path)), root))
    raise SchemaError("a remote schema is never downloaded, online or not: keep a copy inside the site")


def schema_file_at(path: Path, root: str) -> SchemaFile:
    """The configuration's schema file at `path`, once it and every file it refers to have
    been read and every reference followed."""
    schema_file = SchemaFile(str(path.resolve()), root)
    schema = _read_local(path, root)
    try:
        _References(schema_file, schema).check()
    except RecursionError:
        raise SchemaError(f"{path}: nested too deeply") from None
    return schema_file


_REFERENCES = ("$ref", "$dynamicRef")
# Keywords whose value is a schema or a list of schemas, and those whose value is a table of
# schemas; of both, those that apply their schemas to the value itself, not to a part of it.
_SCHEMA_KEYWORDS = frozenset({
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "items", "prefixItems", "additionalItems", "contains",
    "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema",
})
_SCHEMA_TABLE_KEYWORDS = frozenset({"properties", "patternProperties", "dependentSchemas", "dependencies", "$defs", "definitions"})
_IN_PLACE_KEYWORDS = frozenset({*_REFERENCES, "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas"})


def _mentions_references(value) -> bool:
    if isinstance(value, dict):
        return any(key in _REFERENCES or _mentions_references(item) for key, item in value.items())
    return isinstance(value, list) and any(map(_mentions_references, value))


def _subschemas(schema: dict):
    """(keyword, subschema) for each schema written inside `schema`."""
    for keyword, value in schema.items():
        children: Iterable[Any]
        if keyword in _SCHEMA_TABLE_KEYWORDS and isinstance(value, dict):
            children = value.values()
        elif keyword in _SCHEMA_KEYWORDS:
            children = value if isinstance(value, list) else [value]
        else:
            continue
        yield from ((keyword, child) for child in children if isinstance(child, dict | bool))


class _References:
    """Follows every reference of a user's schema, as the validator would, into the files it
    leads to. A reference that does not resolve is an error, and so is a cycle of references
    and in-place keywords (`{"anyOf": [{"$ref": "#"}]}`), on which validation would recurse
    for ever whatever the value: a cycle through `properties` or `items` ends with the value.

    The schemas are walked depth first along the in-place edges, a schema reached through
    any other keyword waiting its turn; a cycle is an in-place edge back to a schema whose
    walk is under way."""

    def __init__(self, schema_file: SchemaFile, schema: dict | bool):
        self.schema_file = schema_file
        self.schema = schema
        self.files: dict[str, str] = {}  # address -> file, for the messages
        self.walked: dict[int, tuple[object, bool]] = {}  # id -> (the schema, kept so that the id stays its own; walk over)
        self.waiting: list = []

    def check(self) -> None:
        if not isinstance(self.schema, dict) or not _mentions_references(self.schema):
            return  # and the registry's imports are not paid for
        from jsonschema_specifications import REGISTRY as SPECIFICATIONS
        from referencing.jsonschema import DRAFT202012

        # As the validator builds its own, the metaschemas included
        registry = SPECIFICATIONS.combine(_registry(self.schema_file.root))
        resolver = registry.resolver_with_root(DRAFT202012.create_resource(self.schema))
        self.files[self.schema["$id"]] = self.schema_file.path
        self.waiting.append((self.schema, resolver, self.schema["$id"]))
        while self.waiting:
            schema, resolver, base = self.waiting.pop()
            if id(schema) not in self.walked:
                self._walk(schema, resolver, base)

    def _walk(self, schema, resolver, base: str) -> None:
        from referencing.jsonschema import DRAFT202012

        self.walked[id(schema)] = (schema, False)
        if isinstance(schema, dict):
            if isinstance(schema.get("$id"), str):
                resolver = resolver.in_subresource(DRAFT202012.create_resource(schema))
                base = urljoin(base, schema["$id"])
            edges = [(keyword, child, resolver, base) for keyword, child in _subschemas(schema)]
            for keyword in _REFERENCES:
                if isinstance(schema.get(keyword), str):
                    edges.append((keyword, *self._lookup(keyword, schema[keyword], resolver, base)))
            for keyword, child, child_resolver, child_base in edges:
                walked = self.walked.get(id(child))
                if walked is None and keyword in _IN_PLACE_KEYWORDS:
                    self._walk(child, child_resolver, child_base)
                elif walked is None:
                    self.waiting.append((child, child_resolver, child_base))
                elif keyword in _IN_PLACE_KEYWORDS and not walked[1]:
                    what = f"{keyword} {schema[keyword]!r}" if keyword in _REFERENCES else f"`{keyword}`"
                    raise SchemaError(f"{self._shown(base)}: {what} leads back to itself, a cycle that validation would follow for ever")
        self.walked[id(schema)] = (schema, True)

    def _lookup(self, keyword: str, ref: str, resolver, base: str):
        """(schema, resolver, base) that a reference leads to."""
        from referencing.exceptions import Unresolvable

        try:
            target = base if ref.startswith("#") else urldefrag(urljoin(base, ref)).url
        except ValueError:
            raise SchemaError(f"{self._shown(base)}: {keyword} {ref!r} is not a valid address") from None
        try:
            resolved = resolver.lookup(ref)
        except Unresolvable as exc:
            cause = exc.__cause__
            while cause is not None and not isinstance(cause, SchemaError):
                cause = cause.__cause__
            reason = str(cause) if cause is not None else f"no such place in {self._shown(target)}"
            raise SchemaError(f"{self._shown(base)}: {keyword} {ref!r}: {reason}") from None
        if target.startswith("file:"):
            self.files.setdefault(target, unquote(urlsplit(target).path))
        return resolved.contents, resolved.resolver, target

    def _shown(self, uri: str) -> str:
        return self.files.get(uri, uri)
