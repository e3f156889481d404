#!/usr/bin/env python3
"""Times Alibaba's official Python SDK building and signing the ListCustomImages request that
the Rust benchmark signs (100 image IDs, 10 image names, 20 tags, every other documented
parameter), stopped just before the network, and prints the ratio to the Rust figure.

The SDK runs unchanged up to the point where it would send: its transport call
(`DaraCore.do_action`) is replaced by one that records the request and raises, so everything the
SDK does to a request (validation, flattening, headers, the signature) is timed and nothing is
sent.

Run it through scripts/python_sign_bench.sh, which finds or makes the virtual environment and runs
the Rust benchmark in the same run. Directly:

    python3 scripts/python_sign_bench.py [--rust-ns V3_NS V2_NS] [--iterations N]

Without --rust-ns it runs `cargo bench -p acs-benches --bench signing` for the two ListCustomImages
benchmarks itself and reads criterion's estimates.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGION = "cn-hangzhou"
# The same made-up pair the Rust benchmark signs with; nothing is ever sent.
ACCESS_KEY_ID = "LTAI5tBenchKeyId9Xz3QpR7"
ACCESS_KEY_SECRET = "BenchSecretOnlyForHashing0123"


class StopBeforeNetwork(BaseException):
    """Raised where the SDK would send. A BaseException, so the SDK's `except Exception` retry
    handling does not swallow it."""


def stop_before_network(request, runtime):
    raise StopBeforeNetwork(request)


def make_input():
    """The caller's data, exactly as benches/src/requests.rs builds it."""
    image_ids = ["fe9c66133a9d4688872869726b52%04x" % i for i in range(100)]
    image_names = ["custom-image-%02d" % i for i in range(10)]
    tags = [("TestKey%02d" % i, "TestValue %02d/env" % i) for i in range(20)]
    return image_ids, image_names, tags


def python_timings(iterations: int, repeats: int):
    from alibabacloud_swas_open20200601 import models as swas_models
    from alibabacloud_swas_open20200601.client import Client
    from alibabacloud_tea_openapi import models as openapi_models
    from alibabacloud_tea_util import models as util_models
    from darabonba.core import DaraCore

    DaraCore.do_action = staticmethod(stop_before_network)
    image_ids, image_names, tags = make_input()

    def client_for(algorithm):
        config = openapi_models.Config(
            access_key_id=ACCESS_KEY_ID,
            access_key_secret=ACCESS_KEY_SECRET,
            region_id=REGION,
            endpoint="swas.%s.aliyuncs.com" % REGION,
        )
        if algorithm is not None:
            config.signature_algorithm = algorithm
        return Client(config)

    def one_call(client):
        request = swas_models.ListCustomImagesRequest(
            region_id=REGION,
            client_token="123e4567-e89b-12d3-a456-426655440000",
            image_ids=json.dumps(image_ids, separators=(",", ":")),
            page_size=100,
            page_number=1,
            image_names=json.dumps(image_names, separators=(",", ":")),
            system_snapshot_id="s-bp14m09pq8example0g6",
            data_snapshot_id="s-acscascaexample",
            tag=[swas_models.ListCustomImagesRequestTag(key=k, value=v) for k, v in tags],
            resource_group_id="rg-aek2bti7cf7yj2i",
            share=False,
            instance_id="ace0706b2ac4454d984295a94213abcd",
        )
        try:
            client.list_custom_images_with_options(request, util_models.RuntimeOptions())
        except StopBeforeNetwork as stop:
            return stop.args[0]
        raise RuntimeError("the SDK returned without reaching its transport")

    results = {}
    for name, algorithm in (("v3", None), ("v2", "v2")):
        client = client_for(algorithm)
        sent = one_call(client)
        query = sent.query or {}
        headers = sent.headers or {}
        if name == "v3" and "Authorization" not in headers:
            raise RuntimeError("the V3 request carries no Authorization header")
        if name == "v2" and "Signature" not in query:
            raise RuntimeError("the V2 request carries no Signature parameter")
        if "Tag.20.Key" not in query or len(json.loads(query["ImageIds"])) != 100:
            raise RuntimeError("the SDK did not flatten the request as expected: %r" % sorted(query))
        for _ in range(max(1, iterations // 10)):
            one_call(client)
        per_call = []
        for _ in range(repeats):
            start = time.perf_counter_ns()
            for _ in range(iterations):
                one_call(client)
            per_call.append((time.perf_counter_ns() - start) / iterations)
        results[name] = {
            "median_ns": statistics.median(per_call),
            "best_ns": min(per_call),
            "query_parameters": len(query),
        }
    return results


def rust_timings():
    """Runs the two Rust benchmarks and reads criterion's mean estimates, in nanoseconds."""
    command = [
        "cargo", "bench", "-p", "acs-benches", "--bench", "signing", "--",
        "^list_custom_images/sign_v[23]$",
    ]
    # Cargo reads a relative CARGO_TARGET_DIR from the workspace root, criterion from the bench's
    # own folder (benches/), so a relative one is made absolute for both to agree.
    target = ROOT / os.environ.get("CARGO_TARGET_DIR", "target")
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    print("running:", " ".join(command), file=sys.stderr)
    subprocess.run(command, cwd=ROOT, check=True, stdout=sys.stderr, env=env)
    found = {}
    for name in ("v3", "v2"):
        path = target / "criterion" / "list_custom_images" / ("sign_" + name) / "new" / "estimates.json"
        with open(path) as f:
            found[name] = json.load(f)["mean"]["point_estimate"]
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rust-ns", nargs=2, type=float, metavar=("V3_NS", "V2_NS"),
                        help="use these Rust figures instead of running the benchmark")
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    python = python_timings(args.iterations, args.repeats)
    rust = dict(zip(("v3", "v2"), args.rust_ns)) if args.rust_ns else rust_timings()

    print("ListCustomImages, 100 image IDs, 10 names, 20 tags: build and sign, per request")
    print("%-4s %16s %16s %10s" % ("sig", "Python SDK (µs)", "acs-sdk (µs)", "ratio"))
    for name in ("v3", "v2"):
        py = python[name]["median_ns"]
        rs = rust[name]
        print("%-4s %16.1f %16.2f %9.0fx" % (name.upper(), py / 1000, rs / 1000, py / rs))
    print(json.dumps({"python": python, "rust_ns": rust}))


if __name__ == "__main__":
    main()
