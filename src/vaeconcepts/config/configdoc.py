"""The configuration reference, generated from the schema: every key, its type or choices,
its default and its description (`vaeconcepts configdoc [--write docs/configuration.md]`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import yaml

from vaeconcepts.config.validation import SCHEMA

START, END = "<!-- config-reference:start -->", "<!-- config-reference:end -->"


def _resolve(node: dict, schema: dict) -> dict:
    """`node` with its $ref's keys merged under its own (the schema's definitions)."""
    if "$ref" not in node:
        return node
    target = schema
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return {**_resolve(target, schema), **{k: v for k, v in node.items() if k != "$ref"}}


def keys(schema: dict | None = None) -> Iterator[tuple[str, dict]]:
    """(dotted key, its resolved schema node) for every documented key, in schema order:
    leaves, and maps whose keys are the user's (runs, data_dirs, train.per_nz)."""
    schema = schema if schema is not None else yaml.safe_load(SCHEMA.read_text())

    def walk(prefix: str, node: dict):
        node = _resolve(node, schema)
        if "properties" in node and "default" not in node:  # a section: its keys
            for name, child in node["properties"].items():
                yield from walk(f"{prefix}.{name}" if prefix else name, child)
        else:
            yield prefix, {**node, "oneOf": [_resolve(o, schema) for o in node.get("oneOf", [])],
                           "items": _resolve(node.get("items", {}), schema)}  # fmt: skip

    yield from walk("", {"properties": schema["properties"]})


def _kind(node: dict) -> str:
    """Its choices, or its type ('list of integer', 'integer or null', ...)."""
    if "enum" in node:
        return " \\| ".join(f"`{v}`" for v in node["enum"])
    types = [node["type"]] if "type" in node else [o["type"] for o in node["oneOf"]]
    types = [t for ts in types for t in (ts if isinstance(ts, list) else [ts])]
    if "array" in types:
        item = node.get("items", {})
        types[types.index("array")] = f"list of {item.get('type', 'number')}"
    if "null" in types:
        types = [t for t in types if t != "null"] + ["null"]
    return " or ".join(types)


def _default(value) -> str:
    return f"`{json.dumps(value)}`"


def table(schema: dict | None = None) -> str:
    """The Markdown table of every key."""
    rows = ["| key | type | default | description |", "|---|---|---|---|"]
    for key, node in keys(schema):
        text = re.sub(r"\s+", " ", node.get("description", "")).strip().replace("|", "\\|")
        rows.append(f"| `{key}` | {_kind(node)} | {_default(node.get('default'))} | {text} |")
    return "\n".join(rows)
