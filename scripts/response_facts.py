#!/usr/bin/env python3
"""Reads the response facts of each operation from Alibaba's official Python SDK models.

For maintainers only (CI never runs it; its output is checked in). For each metadata file given,
it derives the product's SDK package from the metadata's `info.product` and `info.version`
(`Ecs` 2014-05-26 -> `alibabacloud-ecs20140526`, module `alibabacloud_ecs20140526`), installs the
version pinned in `scripts/response_facts.lock` into a virtual environment, and for every operation
of the metadata that has a `<Action>ResponseBody` model, writes the fields' wire names, nesting,
lists and objects, and scalar types as a small JSON schema (no code, no prose) to
`specs/responses/<metadata file name>.json`, which `cargo xtask import` then merges. Run it
before the import:

    python3 scripts/response_facts.py ../shared/metadata          # every seed product, as pinned
    python3 scripts/response_facts.py --add ../shared/metadata/catalogue/vpc-2016-04-28.json
    cargo xtask import ../shared/metadata/catalogue/vpc-2016-04-28.json

A product not pinned yet is refused unless `--add` pins the newest version PyPI serves;
`--upgrade` re-pins the named products to the newest version. A product PyPI has no package for
is reported and makes the exit status nonzero, unless `--skip-missing`. The venv (default
`target/response-facts-venv`, or `--venv DIR`) is kept between runs; a run installs only the
pinned packages it lacks.

The wire name of a field is read from the model's `to_map` (`result['Wire'] = self.attr`), its
type from the annotations of `__init__` (`str`, `int`, `float`, `bool`, `List[...]`, `Dict`, or
another model).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import inspect
import json
import re
import subprocess
import sys
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "scripts" / "response_facts.lock"
DEFAULT_VENV = REPO / "target" / "response-facts-venv"
DEFAULT_OUT = REPO / "specs" / "responses"
LOCK_HEADER = """\
# The official Python SDK packages scripts/response_facts.py reads response facts from, one
# `package==version` a line (a pip requirements file). The script installs exactly these; its
# `--add` pins a new product, `--upgrade` re-pins one to the newest version.
"""

# `if self.attr is not None: result['Wire'] = ...`, and for lists
# `result['Wire'] = []` then `if self.attr is not None: for k in self.attr: result['Wire'].append(...)`.
WIRE = re.compile(r"if self\.(\w+) is not None:\s*\n\s*result\['([^']+)'\]")
LIST_WIRE = re.compile(r"result\['([^']+)'\] = \[\]\s*\n\s*if self\.(\w+) is not None:")


class Refusal(Exception):
    """A product the script cannot read facts for, with the reason to print."""


@dataclass(frozen=True)
class Product:
    """One metadata file and the official SDK package that models its responses."""

    metadata: Path
    package: str  # the PyPI distribution, `alibabacloud-swas-open20200601`
    module: str  # its import name, `alibabacloud_swas_open20200601`

    @property
    def stem(self) -> str:
        return self.metadata.stem


def package_of(product_code: str, version: str) -> tuple[str, str]:
    """The PyPI package and module of a product's official SDK: Alibaba names them
    `alibabacloud-<product code, lower case><version without dashes>`, keeping the dashes of a
    code (`SWAS-OPEN` -> `alibabacloud-swas-open20200601`), which the module spells `_`."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", product_code):
        raise Refusal(f"product code {product_code!r} cannot name a PyPI package")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", version):
        raise Refusal(f"version {version!r} is not a date like 2014-05-26")
    package = f"alibabacloud-{product_code.lower()}{version.replace('-', '')}"
    return package, package.replace("-", "_")


def read_product(metadata: Path) -> Product:
    try:
        info = json.loads(metadata.read_text())["info"]
        package, module = package_of(info["product"], info["version"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise Refusal(f"{metadata}: no `info.product` and `info.version` to name its SDK ({e})") from e
    return Product(metadata, package, module)


def seed_metadata() -> Path:
    """`shared/metadata` beside the checkout or one of its parents (a worktree sits deeper)."""
    for folder in REPO.parents:
        if (folder / "shared" / "metadata").is_dir():
            return folder / "shared" / "metadata"
    raise Refusal(f"no shared/metadata beside {REPO} or any folder above it: name the metadata files")


def metadata_files(paths: list[Path]) -> list[Path]:
    """The files named, and the `*.json` directly inside each folder named."""
    files = []
    for path in paths:
        if not path.exists():
            raise Refusal(f"{path}: no such file or folder")
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return files


def normalized(package: str) -> str:
    return re.sub(r"[-_.]+", "-", package).lower()


def read_lock(path: Path) -> dict[str, str]:
    """package -> pinned version."""
    pins = {}
    if not path.exists():
        return pins
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        package, sep, version = line.partition("==")
        if not sep or not package.strip() or not version.strip():
            raise Refusal(f"{path}:{number}: expected `package==version`, found {line!r}")
        pins[normalized(package.strip())] = version.strip()
    return pins


def write_lock(path: Path, pins: dict[str, str]) -> None:
    lines = [f"{package}=={pins[package]}" for package in sorted(pins)]
    path.write_text(LOCK_HEADER + "\n".join(lines) + "\n")


# --- the venv: run from any Python 3.9+ ---------------------------------------------------------


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def installed_versions(venv: Path) -> dict[str, str]:
    script = (
        "import importlib.metadata as m, json;"
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
    )
    out = subprocess.run([str(venv_python(venv)), "-c", script], check=True, capture_output=True, text=True)
    return {normalized(name): version for name, version in json.loads(out.stdout).items()}


def pip_install(venv: Path, requirements: list[str], upgrade: bool) -> subprocess.CompletedProcess:
    command = [str(venv_python(venv)), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if upgrade:
        command.append("--upgrade")
    return subprocess.run(command + requirements, capture_output=True, text=True)


def pip_failure(package: str, result: subprocess.CompletedProcess) -> str:
    if "No matching distribution found" in result.stderr:
        return f"PyPI has no package {package} (the metadata's product code and version name it)"
    return f"pip could not install {package}:\n{result.stderr.strip()}"


def install(products: list[Product], venv: Path, lock: Path, mode: str) -> tuple[list[Product], list[str], list[str]]:
    """Installs each product's pinned package (or the newest, as `mode` asks) where the venv lacks
    it, and pins what it installed. Returns the products ready to read, and the refusals of the
    others: (missing on PyPI, any other)."""
    if not venv_python(venv).exists():
        print(f"creating the venv {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pins = read_lock(lock)
    have = installed_versions(venv)
    ready, missing, refused = [], [], []
    pinned_absent = []
    newest = []
    for product in products:
        pin = pins.get(normalized(product.package))
        if mode == "upgrade" or (pin is None and mode == "add"):
            newest.append(product)
        elif pin is None:
            refused.append(
                f"{product.stem}: {product.package} is not pinned in {lock.relative_to(REPO)}; "
                "run again with --add to pin the newest version"
            )
        else:
            ready.append(product)
            if have.get(normalized(product.package)) != pin:
                pinned_absent.append(f"{product.package}=={pin}")
    if pinned_absent:
        print(f"installing {len(pinned_absent)} pinned package(s)", file=sys.stderr)
        result = pip_install(venv, pinned_absent, upgrade=False)
        if result.returncode != 0:
            raise Refusal(f"pip could not install the pinned packages:\n{result.stderr.strip()}")
    # One at a time, so that a product without a package is told apart from the others.
    for product in newest:
        print(f"installing the newest {product.package}", file=sys.stderr)
        result = pip_install(venv, [product.package], upgrade=True)
        if result.returncode != 0:
            failure = pip_failure(product.package, result)
            (missing if failure.startswith("PyPI has no package") else refused).append(f"{product.stem}: {failure}")
            continue
        ready.append(product)
    if newest:
        have = installed_versions(venv)
        for product in newest:
            version = have.get(normalized(product.package))
            if version is not None:
                pins[normalized(product.package)] = version
        write_lock(lock, pins)
    return ready, missing, refused


# --- the facts: run inside the venv ------------------------------------------------------------


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


UNREAD_FIELDS: set[tuple[type, str]] = set()


def model_schema(cls: type, depth: int) -> dict[str, Any]:
    """The schema of a model class: its fields under their wire names."""
    hints = typing.get_type_hints(cls.__init__)
    source = inspect.getsource(cls.to_map)
    wire = dict(WIRE.findall(source))
    wire.update({attr: name for name, attr in LIST_WIRE.findall(source)})
    properties = {}
    for attr, annotation in hints.items():
        if attr == "return":
            continue
        if attr not in wire:
            # A `to_map` written another way than the patterns expect would drop fields unseen.
            if (cls, attr) not in UNREAD_FIELDS:
                UNREAD_FIELDS.add((cls, attr))
                print(f"warning: {cls.__name__}.{attr}: no wire name in its to_map; left out", file=sys.stderr)
            continue
        properties[wire[attr]] = schema_of(annotation, depth)
    return {"type": "object", "properties": properties}


def facts(product: Product) -> dict[str, Any]:
    models = importlib.import_module(f"{product.module}.models")
    apis = json.loads(product.metadata.read_text())["apis"]
    operations = {}
    for action in sorted(apis):
        body = getattr(models, f"{action}ResponseBody", None)
        if body is None:
            continue
        operations[action] = model_schema(body, 0)
    version = importlib.metadata.version(product.package)
    return {"source": f"{product.package}=={version}", "operations": operations}


def write_facts(products: list[Product], out_dir: Path) -> list[str]:
    """Writes each product's facts; returns the refusals."""
    out_dir.mkdir(parents=True, exist_ok=True)
    refused = []
    for product in products:
        try:
            result = facts(product)
        except ImportError as e:
            refused.append(f"{product.stem}: cannot import {product.module}.models from the venv: {e}")
            continue
        out = out_dir / f"{product.stem}.json"
        out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
        total = len(json.loads(product.metadata.read_text())["apis"])
        shown = out.relative_to(REPO) if out.is_relative_to(REPO) else out
        print(f"wrote {shown}: {len(result['operations'])} of {total} operations typed ({result['source']})")
    return refused


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("metadata", nargs="*", type=Path, help="metadata files, or folders of them "
                        "(default: shared/metadata above the checkout, the seed products)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV,
                        help=f"the venv to install into and keep (default {DEFAULT_VENV.relative_to(REPO)})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"where to write the facts (default {DEFAULT_OUT.relative_to(REPO)})")
    pin = parser.add_mutually_exclusive_group()
    pin.add_argument("--add", action="store_const", dest="mode", const="add",
                     help="pin the newest version of each product not pinned yet")
    pin.add_argument("--upgrade", action="store_const", dest="mode", const="upgrade",
                     help="re-pin each product named to the newest version")
    parser.add_argument("--skip-missing", action="store_true",
                        help="a product PyPI has no package for is reported, not an error")
    # Inside the venv: the outer run has installed the packages; read and write the facts.
    parser.add_argument("--in-venv", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    refused, missing = [], []
    products = []
    try:
        files = metadata_files(args.metadata or [seed_metadata()])
    except Refusal as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for file in files:
        try:
            products.append(read_product(file))
        except Refusal as e:
            refused.append(str(e))

    if args.in_venv:
        refused += write_facts(products, args.out)
    elif products:
        try:
            ready, missing, more = install(products, args.venv.resolve(), LOCK, args.mode)
        except Refusal as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        refused += more
        if ready:
            inner = [str(venv_python(args.venv.resolve())), __file__, "--in-venv", "--out", str(args.out.resolve())]
            if subprocess.run(inner + [str(p.metadata.resolve()) for p in ready]).returncode != 0:
                refused.append("reading the facts inside the venv failed (see above)")

    for line in missing:
        print(f"{'skipped' if args.skip_missing else 'error'}: {line}", file=sys.stderr)
    for line in refused:
        print(f"error: {line}", file=sys.stderr)
    failed = refused or (missing and not args.skip_missing)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
