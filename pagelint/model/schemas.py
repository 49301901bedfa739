"""Which JSON Schema a page's front matter is checked against, and the schemas compiled once.

By default the schema follows the site's template (academicpages, al-folio, plain Jekyll)
and the page's kind (publication, talk, post, config...). The configuration's `[schemas]`
table maps globs to schema files of the user's own, which take precedence.
"""

from __future__ import annotations

import fnmatch
import json
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath

KINDS_WITH_SCHEMAS = {
    "academicpages": {"publication", "talk", "teaching", "portfolio", "post", "config"},
    "al-folio": {"post", "news", "project", "config"},
    "jekyll": {"config"},
}


def builtin_name(doc) -> str | None:
    template = doc.site.template if doc.site is not None else "jekyll"
    if doc.kind == "data":
        is_navigation = PurePosixPath(doc.path).name in ("navigation.yml", "navigation.yaml")
        return "academicpages-navigation" if is_navigation and template == "academicpages" else None
    if (doc.syntax == "yaml" and doc.kind != "config") or doc.kind == "unpublished":
        return None
    if doc.kind in KINDS_WITH_SCHEMAS[template]:
        return f"{template}-{doc.kind}"
    return f"{template}-page"


@cache
def _load_builtin(name: str) -> dict:
    return json.loads(resources.files("pagelint.schemas").joinpath(f"{name}.schema.json").read_text("utf-8"))


@cache
def _load_file(path: str) -> dict:
    return json.loads(Path(path).read_text("utf-8"))


def schema_for(doc, overrides: dict[str, str]) -> tuple[str, dict] | None:
    """(name, schema) for the page, or None when no schema applies."""
    absolute = str(Path(doc.path).absolute())
    for pattern, schema_path in overrides.items():
        if fnmatch.fnmatchcase(absolute, pattern) or fnmatch.fnmatchcase(absolute, pattern + "/*"):
            return schema_path, _load_file(schema_path)
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


@cache
def validator_for(schema_json: str):
    import jsonschema

    schema = json.loads(schema_json)
    return jsonschema.Draft202012Validator(schema, format_checker=None)


def validator(schema: dict):
    return validator_for(json.dumps(schema, sort_keys=True))
