"""Tests of scripts/response_facts.py that need neither PyPI nor the venv (CI does not run them):

    python3 -m unittest discover -s scripts -p 'test_*.py'
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import unittest
from pathlib import Path
from typing import Dict, List

import response_facts as facts


class PackageNaming(unittest.TestCase):
    def test_the_package_is_alibabacloud_code_and_version(self):
        cases = {
            ("Ecs", "2014-05-26"): "alibabacloud-ecs20140526",
            ("SWAS-OPEN", "2020-06-01"): "alibabacloud-swas-open20200601",
            ("appstream-center", "2021-09-01"): "alibabacloud-appstream-center20210901",
            ("ResourceManager", "2020-03-31"): "alibabacloud-resourcemanager20200331",
            ("Actiontrail", "2020-07-06"): "alibabacloud-actiontrail20200706",
            ("Alidns", "2015-01-09"): "alibabacloud-alidns20150109",
        }
        for (code, version), package in cases.items():
            self.assertEqual(facts.package_of(code, version), (package, package.replace("-", "_")))

    def test_a_code_or_version_that_cannot_name_a_package_is_refused(self):
        for code, version in [("", "2014-05-26"), ("ecs/../x", "2014-05-26"), ("Ecs", "v1"), ("Ecs", "2014-5-26")]:
            with self.assertRaises(facts.Refusal):
                facts.package_of(code, version)

    def test_every_pinned_package_is_the_one_its_metadata_names(self):
        try:
            shared = facts.seed_metadata()
        except facts.Refusal:
            self.skipTest("no shared/metadata above the checkout")
        derived = {
            facts.read_product(path).package
            for path in facts.metadata_files([shared, shared / "catalogue"])
        }
        self.assertEqual(set(facts.read_lock(facts.LOCK)) - derived, set())


class Lock(unittest.TestCase):
    def test_pins_are_written_sorted_and_read_back(self):
        with tempfile.TemporaryDirectory() as dir:
            lock = Path(dir) / "lock"
            facts.write_lock(lock, {"alibabacloud-vpc20160428": "7.2.2", "alibabacloud-ecs20140526": "7.11.8"})
            lines = [line for line in lock.read_text().splitlines() if not line.startswith("#")]
            self.assertEqual(lines, ["alibabacloud-ecs20140526==7.11.8", "alibabacloud-vpc20160428==7.2.2"])
            self.assertEqual(
                facts.read_lock(lock),
                {"alibabacloud-ecs20140526": "7.11.8", "alibabacloud-vpc20160428": "7.2.2"},
            )

    def test_a_line_without_a_pin_is_refused_with_its_place(self):
        with tempfile.TemporaryDirectory() as dir:
            lock = Path(dir) / "lock"
            lock.write_text("# pins\nalibabacloud-ecs20140526\n")
            with self.assertRaisesRegex(facts.Refusal, r"lock:2: expected `package==version`"):
                facts.read_lock(lock)


class TeaModel:
    """Stands for `Tea.model.TeaModel`: the facts need only a class with `to_map`."""

    def to_map(self):
        return {}


class Item(TeaModel):
    def __init__(self, item_id: str = None, size: int = None):
        self.item_id = item_id
        self.size = size

    def to_map(self):
        result = dict()
        if self.item_id is not None:
            result['ItemId'] = self.item_id
        if self.size is not None:
            result['Size'] = self.size
        return result


class Body(TeaModel):
    def __init__(
        self,
        request_id: str = None,
        items: List[Item] = None,
        tags: Dict[str, str] = None,
        ratio: float = None,
        ok: bool = None,
        unread: str = None,
    ):
        self.request_id = request_id
        self.items = items
        self.tags = tags
        self.ratio = ratio
        self.ok = ok
        self.unread = unread

    def to_map(self):
        result = dict()
        if self.request_id is not None:
            result['RequestId'] = self.request_id
        result['Items'] = []
        if self.items is not None:
            for k in self.items:
                result['Items'].append(k.to_map() if k else None)
        if self.tags is not None:
            result['Tags'] = self.tags
        if self.ratio is not None:
            result['Ratio'] = self.ratio
        if self.ok is not None:
            result['OK'] = self.ok
        result.update({"Unread": self.unread})
        return result


class ModelSchema(unittest.TestCase):
    def test_fields_come_under_their_wire_names_with_their_types(self):
        with contextlib.redirect_stderr(io.StringIO()):
            schema = facts.model_schema(Body, 0)
        self.assertEqual(
            schema,
            {
                "type": "object",
                "properties": {
                    "RequestId": {"type": "string"},
                    "Items": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "ItemId": {"type": "string"},
                                "Size": {"type": "integer", "format": "int64"},
                            },
                        },
                    },
                    "Tags": {"type": "object", "additionalProperties": {"type": "string"}},
                    "Ratio": {"type": "number", "format": "double"},
                    "OK": {"type": "boolean"},
                },
            },
        )

    def test_a_field_whose_wire_name_cannot_be_read_is_warned_of(self):
        facts.UNREAD_FIELDS.clear()
        warnings = io.StringIO()
        with contextlib.redirect_stderr(warnings):
            facts.model_schema(Body, 0)
        self.assertIn("Body.unread: no wire name in its to_map", warnings.getvalue())


class Products(unittest.TestCase):
    def test_metadata_without_product_or_version_is_refused_with_its_file(self):
        with tempfile.TemporaryDirectory() as dir:
            metadata = Path(dir) / "demo-2020-01-01.json"
            metadata.write_text(json.dumps({"info": {"product": "Demo"}, "apis": {}}))
            with self.assertRaisesRegex(facts.Refusal, "demo-2020-01-01.json: no `info.product` and `info.version`"):
                facts.read_product(metadata)


if __name__ == "__main__":
    unittest.main()
