#!/usr/bin/env python3
"""Reads the response facts of each operation from Alibaba's official Python SDK models.

For maintainers only (CI never runs it; its output is checked in). For each product it imports
the pinned SDK package in a virtual environment under /tmp, and for every operation of the
metadata file that has a `<Action>ResponseBody` model, writes the fields' wire names, nesting,
lists and objects, and scalar types as a small JSON schema (no code, no prose) to
`specs/responses/<metadata file name>.json`, which `cargo xtask import` merges.

    python3 scripts/response_facts.py ../shared/metadata    # rewrite specs/responses/*.json

The wire name of a field is read from the model's `to_map` (`result['Wire'] = self.attr`), its
type from the annotations of `__init__` (`str`, `int`, `float`, `bool`, `List[...]`, `Dict`, or
another model).
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
VENV = Path("/tmp/acs-response-facts-venv")

# metadata file stem -> (pip requirement, module)
PACKAGES = {
    "ecs-2014-05-26": ("alibabacloud-ecs20140526==7.11.8", "alibabacloud_ecs20140526"),
    "ens-2017-11-10": ("alibabacloud-ens20171110==12.1.0", "alibabacloud_ens20171110"),
    "swas-open-2020-06-01": ("alibabacloud-swas-open20200601==4.0.0", "alibabacloud_swas_open20200601"),
    "appstream-center-2021-09-01": (
        "alibabacloud-appstream-center20210901==5.9.0",
        "alibabacloud_appstream_center20210901",
    ),
    "sts-2015-04-01": ("alibabacloud-sts20150401==1.2.0", "alibabacloud_sts20150401"),
}

# `if self.attr is not None: result['Wire'] = ...`, and for lists
# `result['Wire'] = []` then `if self.attr is not None: for k in self.attr: result['Wire'].append(...)`.
WIRE = re.compile(r"if self\.(\w+) is not None:\s*\n\s*result\['([^']+)'\]")
LIST_WIRE = re.compile(r"result\['([^']+)'\] = \[\]\s*\n\s*if self\.(\w+) is not None:")


def ensure_venv() -> None:
    """Runs this script again inside the venv, creating and filling it first if needed."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *[req for req, _ in PACKAGES.values()]],
        check=True,
    )
    sys.exit(subprocess.run([str(python), __file__, *sys.argv[1:]]).returncode)


def schema_of(annotation: Any, depth: int) -> dict[str, Any]:
    """The schema of one annotated type."""
    if depth > 32:
        raise RuntimeError(f"models nest deeper than 32 levels at {annotation}")
    origin = typing.get_origin(annotation)
    if origin in (list, typing.List):
        (item,) = typing.get_args(annotation) or (str,)
        return {"type": "array", "items": schema_of(item, depth + 1)}
    if origin in (dict, typing.Dict):
        args = typing.get_args(annotation)
        value = args[1] if len(args) == 2 else Any
        if value is Any:
            return {"type": "object"}
        return {"type": "object", "additionalProperties": schema_of(value, depth + 1)}
    if annotation is str:
        return {"type": "string"}
    if annotation is bool:
        return {"type": "boolean"}
    if annotation is int:
        # Python does not say the width; 64 bits hold every count and ID the services send.
        return {"type": "integer", "format": "int64"}
    if annotation is float:
        return {"type": "number", "format": "double"}
    if inspect.isclass(annotation) and hasattr(annotation, "to_map"):
        return model_schema(annotation, depth + 1)
    # `Any` and anything else: an object whose keys the model does not declare.
    return {"type": "object"}


def model_schema(cls: type, depth: int) -> dict[str, Any]:
    """The schema of a model class: its fields under their wire names."""
    hints = typing.get_type_hints(cls.__init__)
    source = inspect.getsource(cls.to_map)
    wire = dict(WIRE.findall(source))
    wire.update({attr: name for name, attr in LIST_WIRE.findall(source)})
    properties = {}
    for attr, annotation in hints.items():
        if attr == "return" or attr not in wire:
            continue
        properties[wire[attr]] = schema_of(annotation, depth)
    return {"type": "object", "properties": properties}


def facts(stem: str, metadata: Path) -> dict[str, Any]:
    requirement, module = PACKAGES[stem]
    models = importlib.import_module(f"{module}.models")
    apis = json.loads(metadata.read_text())["apis"]
    operations = {}
    for action in sorted(apis):
        body = getattr(models, f"{action}ResponseBody", None)
        if body is None:
            continue
        operations[action] = model_schema(body, 0)
    return {"source": requirement, "operations": operations}


def main() -> None:
    ensure_venv()
    metadata_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "metadata"
    out_dir = REPO / "specs" / "responses"
    out_dir.mkdir(parents=True, exist_ok=True)
    for stem in PACKAGES:
        metadata = metadata_dir / f"{stem}.json"
        if not metadata.exists():
            print(f"skipped {stem}: no {metadata}", file=sys.stderr)
            continue
        result = facts(stem, metadata)
        out = out_dir / f"{stem}.json"
        out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
        print(f"wrote {out.relative_to(REPO)} ({len(result['operations'])} operations)")


if __name__ == "__main__":
    main()
