#!/usr/bin/env python3
"""Records what Alibaba Cloud's official Python SDKs send for generated cases of EVERY operation of
the specs, as fixtures for `tests/tests/wire/every_operation.rs`.

Run by hand, never by CI (CI replays the recorded fixtures with no Python):

    python3 tests/conformance/record_all.py           # (re-)record fixtures/every_operation/*.jsonl
    python3 tests/conformance/record_all.py --check   # record in memory; fail if a file differs

It shares `record.py`'s virtual environment (`.venv-conformance/`, pinned `requirements.txt`), its
isolation (no sockets, a fixed clock and nonce) and its interceptor, which takes each request at
`requests.Session.send`, the last step before a socket.

The cases come from the specs (`specs/*.yaml` over `specs/imported/*.yaml`, the written spec
winning parameter by parameter, as the generator merges them), so that each case loads into the
SDK's request type as it is: keyed by wire name, lists as JSON arrays, objects as JSON objects.
For each operation a seeded generator (the seed is the operation's name: the same specs give the
same cases) draws up to four cases: the required parameters alone, two random subsets of the
optional ones (plain values, then awkward strings: spaces, unicode, `*`, `~`, `/`, `+`, `=`, `&`,
`%`, newlines), and every list, map and object parameter (some lists empty, some with several
items). Values keep to the limits and valid values the spec gives.

The official SDK gets the same values through its request model's `from_map`: a dotted name
(`SystemDisk.Category`) nests as the model nests it, and a list or object the model types as one
string is encoded as that string (JSON, or joined by commas, by the parameter's style), as a Python
user would pass it. A parameter the pinned model does not know is listed in the case
(`model_lacks`): the official SDK cannot send it.

One file per product, JSON lines: the first line describes the recording (packages, the fixed
date and nonce), each further line one case: the operation, the case's name, the request, and what
the official SDK sent: method, path, query and form-body pairs in the order sent (decoded as a
server decodes them), the encoded query string and body as they would leave the machine, and
the headers that say which operation is called and how the body is encoded (the clock, the nonce
and the signature are left out). A case the SDK refuses to build holds `official_error` instead.
"""

from __future__ import annotations

import argparse
import inspect
import json
import random
import re
import sys
import typing
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import record  # noqa: E402  (the sibling recorder: venv, isolation, interceptor)

REPO = record.REPO
SPECS = REPO / "specs"
OUT = record.FIXTURES / "every_operation"

# module -> (spec file stem, the official SDK's Python package, its distribution name)
PRODUCTS = {
    "appstream_center": (
        "appstream-center-2021-09-01",
        "alibabacloud_appstream_center20210901",
        "alibabacloud-appstream-center20210901",
    ),
    "ecs": ("ecs-2014-05-26", "alibabacloud_ecs20140526", "alibabacloud-ecs20140526"),
    "ens": ("ens-2017-11-10", "alibabacloud_ens20171110", "alibabacloud-ens20171110"),
    "sts": ("sts-2015-04-01", "alibabacloud_sts20150401", "alibabacloud-sts20150401"),
    "swas_open": ("swas-open-2020-06-01", "alibabacloud_swas_open20200601", "alibabacloud-swas-open20200601"),
}

# Headers that say which operation is called and how the body is encoded; the rest are the
# clock's, the nonce's, the signature's, the machine's, or the body's digest (the body is compared).
RECORDED_HEADERS = {"x-acs-action", "x-acs-version", "content-type"}

SCALARS = {"string", "integer", "long", "number", "double", "boolean"}

PLAIN_STRINGS = ["value-1", "cn-hangzhou", "i-bp67acfmxazb4p****", "Test_Name.01", "2024-01-02T03:04:05Z"]
AWKWARD_STRINGS = [
    "a b", "镜像 测试", "🚀✨", "*", "~", "/", "+", "=", "a&b=c", "100%", "x,y", "a+b/c=d",
    "line1\nline2\ttab", "'\"<>#?;:@!$()[]{}|^`\\", "Ünïcödé ~*",
]


# ---------------------------------------------------------------------------------------------
# The specs, merged as the generator merges them
# ---------------------------------------------------------------------------------------------


def load_yaml(path: Path) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


class Spec:
    """One product's operations and shapes: the written spec over the imported one."""

    def __init__(self, stem: str) -> None:
        written = load_yaml(SPECS / f"{stem}.yaml") if (SPECS / f"{stem}.yaml").exists() else {}
        imported_path = SPECS / "imported" / f"{stem}.yaml"
        imported = load_yaml(imported_path) if imported_path.exists() else {}
        # A shape name means the shape of the spec that names it: the written ECS spec's
        # `DiskDeviceMapping` (a response shape) is not the imported one of `CreateImage`.
        self.written_shapes: dict[str, Any] = written.get("shapes") or {}
        self.imported_shapes: dict[str, Any] = imported.get("shapes") or {}
        self.operations: dict[str, dict[str, Any]] = {}
        for op in imported.get("operations") or []:
            self.operations[op["action"]] = dict(op, request=[(p, self.imported_shapes) for p in op.get("request") or []])
        for op in written.get("operations") or []:
            base = self.operations.get(op["action"], {})
            names = {p["name"] for p in op.get("request") or []}
            extra = [(p, shapes) for p, shapes in base.get("request") or [] if p["name"] not in names]
            merged = dict(base, **op)
            merged["request"] = [(p, self.written_shapes) for p in op.get("request") or []] + extra
            self.operations[op["action"]] = merged

    def parameters(self, action: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """The request parameters of `action`, each with the shapes its types name."""
        return self.operations[action].get("request") or []


def type_name(value: Any) -> str:
    """A spec type: a name, or a table with `type`."""
    if isinstance(value, dict):
        return value.get("type", "")
    return value or ""


# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------


class CaseMaker:
    """Draws the values of one case, from the spec's types, limits and valid values."""

    def __init__(self, shapes: dict[str, Any], rng: random.Random, awkward: bool) -> None:
        self.shapes = shapes
        self.rng = rng
        self.awkward = awkward

    def string(self, node: dict[str, Any]) -> str:
        limits = node.get("limits") or {}
        pool = AWKWARD_STRINGS if self.awkward else PLAIN_STRINGS
        text = self.rng.choice(pool)
        low, high = limits.get("min_length"), limits.get("max_length")
        if low is not None and len(text) < int(low):
            text = text + "x" * (int(low) - len(text))
        if high is not None and len(text) > int(high):
            text = text[: int(high)]
        return text

    def integer(self, node: dict[str, Any], kind: str) -> int:
        limits = node.get("limits") or {}
        low = int(limits["min"]) if "min" in limits else 0
        wide = kind == "long" or node.get("format") == "int64"
        top = 1234567890123 if wide else 2147483647
        high = int(limits["max"]) if "max" in limits else top
        if self.awkward:
            choices = [low, high, top if low <= top <= high else high]
        else:
            choices = [min(max(low, 1), high), min(max(low, 10), high), min(max(low, 100), high)]
        return self.rng.choice(choices)

    def number(self, node: dict[str, Any]) -> float:
        limits = node.get("limits") or {}
        choices = [1.5, 0.25, 3.0] if self.awkward else [1.5, 0.25, 12.75]
        low = float(limits.get("min", -1e300))
        high = float(limits.get("max", 1e300))
        fits = [c for c in choices if low <= c <= high]
        return self.rng.choice(fits) if fits else low

    def scalar(self, kind: str, node: dict[str, Any]) -> Any:
        values = [v["value"] for v in node.get("values") or [] if isinstance(v, dict) and "value" in v]
        if values:
            # Valid values are written as text in the specs, whatever the parameter's type.
            value = self.rng.choice(values)
            if kind in ("integer", "long"):
                return int(value)
            if kind in ("number", "double"):
                return float(value)
            if kind == "boolean":
                return str(value).lower() == "true"
            return str(value)
        if kind == "string":
            return self.string(node)
        if kind in ("integer", "long"):
            return self.integer(node, kind)
        if kind in ("number", "double"):
            return self.number(node)
        return self.rng.choice([True, False])

    def value(self, node: dict[str, Any], depth: int, empty_lists: bool = False) -> Any:
        """A value of the parameter or field `node` (`type`, `items`, `limits`, `values`)."""
        kind = type_name(node.get("type"))
        if kind in SCALARS:
            return self.scalar(kind, node)
        if kind == "array":
            items = node.get("items")
            item_node = items if isinstance(items, dict) else {"type": items}
            limits = node.get("limits") or {}
            low = int(limits.get("min_items", 0))
            high = min(int(limits.get("max_items", 3)), 3)
            # A required list set empty is a required list missing (a repeated list sends nothing).
            if empty_lists and low == 0 and not node.get("required") and self.rng.random() < 0.4:
                return []
            count = self.rng.randint(max(low, 1), max(low, 1, high))
            out = [self.value(item_node, depth + 1) for _ in range(count)]
            return [v for v in out if v is not None]
        if kind == "map":
            items = node.get("items")
            item_node = items if isinstance(items, dict) else {"type": items}
            keys = ["key1", "key 2"] if self.awkward else ["key1", "key2"]
            return {k: self.value(item_node, depth + 1) for k in keys[: self.rng.randint(1, 2)]}
        shape = self.shapes.get(kind)
        if shape is None or depth > 3:
            return None
        fields = shape.get("fields") or []
        chosen = [f for f in fields if f.get("required") or self.rng.random() < 0.6] or fields[:1]
        out = {}
        for field in chosen:
            v = self.value(field, depth + 1)
            if v is not None:
                out[field["name"]] = v
        return out


def is_container(param: dict[str, Any]) -> bool:
    """A list, a map or an object: a parameter written in more than one pair, or as JSON."""
    return type_name(param.get("type")) not in SCALARS


def cases_of(module: str, spec: Spec, action: str) -> list[tuple[str, dict[str, Any]]]:
    """Up to four cases of one operation; a case equal to an earlier one is left out."""
    params = spec.parameters(action)
    rng = random.Random(f"{module}::{action}")
    plans = [
        ("required", False, lambda p: False, False),
        ("some-optional", False, lambda p: rng.random() < 0.5, False),
        ("awkward-strings", True, lambda p: rng.random() < 0.7, False),
        ("lists-and-objects", True, lambda p: is_container(p) or rng.random() < 0.3, True),
    ]
    out: list[tuple[str, dict[str, Any]]] = []
    seen: list[dict[str, Any]] = []
    for name, awkward, take, empty_lists in plans:
        request: dict[str, Any] = {}
        for param, shapes in params:
            if param.get("required") or take(param):
                value = CaseMaker(shapes, rng, awkward).value(param, 0, empty_lists)
                if value is not None:
                    request[param["name"]] = value
        if request in seen:
            continue
        seen.append(request)
        out.append((name, request))
    return out


# ---------------------------------------------------------------------------------------------
# From a case to the official SDK's model
# ---------------------------------------------------------------------------------------------

# `if self.attr is not None: result['Wire'] = ...` in a model's `to_map`, as
# scripts/response_facts.py reads it.
WIRE = re.compile(r"if self\.(\w+) is not None:\s*\n\s*result\['([^']+)'\]")
LIST_WIRE = re.compile(r"result\['([^']+)'\] = \[\]\s*\n\s*if self\.(\w+) is not None:")


def wire_hints(cls: type) -> dict[str, Any]:
    """The type annotation of each field of a model, by wire name."""
    hints = typing.get_type_hints(cls.__init__)
    source = inspect.getsource(cls.to_map)
    wire = dict(WIRE.findall(source))
    wire.update({attr: name for name, attr in LIST_WIRE.findall(source)})
    return {wire[attr]: hint for attr, hint in hints.items() if attr in wire}


def nest(request: dict[str, Any]) -> dict[str, Any]:
    """Dotted names as the model holds them: `{"SystemDisk.Category": v}` as
    `{"SystemDisk": {"Category": v}}` (merged with the fields of an object `SystemDisk`), and `{"Filter.2.Key": v}` as `{"Filter": [{}, {"Key": v}]}`
    (a number is an item of a list, from 1)."""
    out: dict[str, Any] = {}
    for name, value in request.items():
        parts = name.split(".")
        at: Any = out
        for part, following in zip(parts, parts[1:]):
            empty: Any = [] if following.isdigit() else {}
            if part.isdigit():
                index = int(part) - 1
                while len(at) <= index:
                    at.append({} if isinstance(empty, dict) else [])
                at = at[index]
            else:
                at = at.setdefault(part, empty)
        last = parts[-1]
        if last.isdigit():
            index = int(last) - 1
            while len(at) <= index:
                at.append(None)
            at[index] = value
        elif isinstance(value, dict) and isinstance(at.get(last), dict):
            # `SystemDisk.Size` and an object `SystemDisk` with other fields: one object.
            at[last].update(value)
        else:
            at[last] = value
    return out


def as_string(value: Any, style: str | None) -> str:
    if style == "comma":
        return record.comma_join(value, "")
    return record.json_shrink(value, "")


def official_input(spec: Spec, action: str, request_class: type, request: dict[str, Any]) -> dict[str, Any]:
    """The case as the model's `from_map` takes it."""
    styles = {p["name"]: p.get("style") for p, _ in spec.parameters(action)}
    hints = wire_hints(request_class)
    out = nest(request)
    for name, value in list(out.items()):
        if isinstance(value, (list, dict)) and hints.get(name) is str and name in request:
            out[name] = as_string(value, styles.get(name))
    return out


def lacking(given: Any, kept: Any, at: str, out: list[str]) -> None:
    """The paths of `given` that the model's `to_map` did not keep (`SystemDisk.Foo`, `Tag.Foo`)."""
    if isinstance(given, dict):
        kept = kept if isinstance(kept, dict) else {}
        for key, value in given.items():
            here = f"{at}.{key}" if at else key
            if key not in kept:
                out.append(here)
            else:
                lacking(value, kept[key], here, out)
    elif isinstance(given, list) and isinstance(kept, list):
        for g, k in zip(given, kept):
            lacking(g, k, at, out)


# ---------------------------------------------------------------------------------------------
# Recording
# ---------------------------------------------------------------------------------------------


def client_method(client_class: type, action: str) -> str | None:
    """The client's method for `action` (`AssumeRoleWithOIDC` -> `assume_role_with_oidc`), if the
    pinned SDK has the operation."""
    wanted = action.lower()
    for name in dir(client_class):
        if name.replace("_", "") == wanted and callable(getattr(client_class, name)):
            return name
    return None


def record_product(module: str, interceptor: record.Interceptor) -> list[dict[str, Any]]:
    import importlib

    from alibabacloud_tea_openapi.utils_models import Config

    stem, package, _ = PRODUCTS[module]
    spec = Spec(stem)
    client_module = importlib.import_module(f"{package}.client")
    models = importlib.import_module(f"{package}.models")
    client_class = client_module.Client
    lines = []
    for action in sorted(spec.operations):
        op = spec.operations[action]
        request_class = getattr(models, f"{action}Request", None)
        method = client_method(client_class, action)
        anonymous = bool(op.get("anonymous"))
        if anonymous:
            config = Config(region_id="cn-hangzhou")
        else:
            config = Config(
                access_key_id=record.ACCESS_KEY_ID,
                access_key_secret=record.ACCESS_KEY_SECRET,
                region_id="cn-hangzhou",
            )
        client = client_class(config)
        for name, request in cases_of(module, spec, action):
            line: dict[str, Any] = {"action": action, "case": name, "request": request}
            if method is None:
                line["official_error"] = f"the pinned SDK has no operation {action}"
                lines.append(line)
                continue
            if request_class is None:
                # An operation whose request has no parameters takes no model.
                arguments: list[Any] = []
            else:
                given = official_input(spec, action, request_class, request)
                model = request_class().from_map(given)
                missing: list[str] = []
                lacking(given, model.to_map(), "", missing)
                if missing:
                    line["model_lacks"] = missing
                arguments = [model]
            try:
                getattr(client, method)(*arguments)
            except record.NetworkBlocked:
                raise
            except Exception as error:  # the model's own checks: recorded, not fatal
                interceptor.sdk_requests.clear()
                interceptor.wire_requests.clear()
                line["official_error"] = f"{type(error).__name__}: {error}"
                lines.append(line)
                continue
            sdk, wire = interceptor.take()
            encoded_query, encoded_body = record.wire_query_and_body(wire)
            query = [[k, str(v)] for k, v in sdk["query"]]
            if record.pairs_of(encoded_query) != query:
                raise RuntimeError(f"{action} {name}: the encoded query does not decode to the SDK's query")
            line.update(
                {
                    "method": wire.method,
                    "path": record.urlsplit(wire.url).path,
                    "query": query,
                    "body": record.pairs_of(encoded_body),
                    "encoded_query": encoded_query,
                    "encoded_body": encoded_body,
                    "headers": {k: v for k, v in sdk["headers"] if k.lower() in RECORDED_HEADERS},
                }
            )
            lines.append(line)
    return lines


def render(module: str, lines: list[dict[str, Any]]) -> str:
    stem, _, distribution = PRODUCTS[module]
    from importlib.metadata import version

    header = {
        "recorded_by": "tests/conformance/record_all.py",
        "module": module,
        "spec": stem,
        "packages": {**record.versions(), distribution: version(distribution)},
        "python": sys.version.split()[0],
        "fixed": {"date": record.FIXED_DATE, "nonce": record.FIXED_NONCE},
        "operations": len({line["action"] for line in lines}),
        "cases": len(lines),
    }
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    return "\n".join([dump(header), *(dump(line) for line in lines)]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="record in memory and fail if a fixture file differs")
    args = parser.parse_args()

    record.ensure_venv(Path(__file__))
    record.clear_sdk_environment()
    record.block_network()
    interceptor = record.Interceptor()
    record.fix_clock_and_nonce()

    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for module in PRODUCTS:
        text = render(module, record_product(module, interceptor))
        path = OUT / f"{module}.jsonl"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(REPO)))
            continue
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)} ({text.count(chr(10)) - 1} cases, {len(text.encode()):,} bytes)")
    if stale:
        print("stale fixtures (re-record with `python3 tests/conformance/record_all.py`): " + ", ".join(stale),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
