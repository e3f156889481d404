"""Records the signing vectors' expected texts with Alibaba Cloud's official Python runtime.

Each case folder holds `request.json` (written by hand). This script writes, next to it:
  canonical-request.txt / canonical-query.txt  the text the signature covers
  string-to-sign.txt                           the text the HMAC is taken of
  authorization.txt (V3) / signature.txt (V2)  the result
  query.txt                                    the query string sent after `?`
  body.txt                                     the form body sent (when the case has one)

The intermediate texts are captured from inside the official functions (their hash and HMAC calls
are wrapped), not rebuilt here. A case with a `published` value must reproduce it, or the script
fails. Run once after changing a case:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install alibabacloud-tea-openapi==0.4.6 alibabacloud-openapi-util==0.2.4
    /tmp/venv/bin/python runtime/tests/vectors/record.py

It also records, in `wire/`, how the official runtime writes a list sent as one JSON string
(`array_to_string_with_specified_style(..., 'json')`) and how it percent-encodes a parameter
(`get_encode_param`), for `tests/wire.rs`. That needs `alibabacloud-openapi-util` as well.

The Rust tests read the recorded files; they need no Python.
"""

import hashlib
import json
import pathlib
import sys
from urllib.parse import quote

import alibabacloud_tea_openapi.utils as official
from alibabacloud_openapi_util.client import Client as OpenApiUtil

HERE = pathlib.Path(__file__).resolve().parent


def encode(text):
    # RFC 3986: only unreserved characters kept, UTF-8.
    return quote(text, safe="~", encoding="utf-8")


def encode_pairs(pairs):
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(pairs, key=lambda p: p[0]))


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8", newline="")


class Request:
    def __init__(self, case, headers):
        self.method = case["method"]
        self.pathname = case["path"]
        self.query = dict(case["query"])
        self.headers = headers


def record_v3(folder, case):
    body = encode_pairs(case["form"]).encode("utf-8")
    payload = hashlib.sha256(body).hexdigest()
    headers = {
        "host": case["host"],
        "x-acs-action": case["action"],
        "x-acs-version": case["version"],
        "x-acs-date": case["timestamp"],
        "x-acs-signature-nonce": case["nonce"],
        "x-acs-content-sha256": payload,
    }
    if case["security_token"]:
        headers["x-acs-security-token"] = case["security_token"]
    for name, value in case["headers"]:
        headers[name] = value

    captured = {}
    real_hash = official.Utils.hash
    real_signature_method = official.signature_method

    def capture_hash(raw, sign_type):
        captured.setdefault("canonical_request", raw.decode("utf-8"))
        return real_hash(raw, sign_type)

    def capture_signature_method(secret, source, sign_type):
        captured["string_to_sign"] = source
        return real_signature_method(secret, source, sign_type)

    official.Utils.hash = staticmethod(capture_hash)
    official.signature_method = capture_signature_method
    try:
        authorization = official.Utils.get_authorization(
            Request(case, headers), "ACS3-HMAC-SHA256", payload,
            case["access_key_id"], case["access_key_secret"])
    finally:
        official.Utils.hash = staticmethod(real_hash)
        official.signature_method = real_signature_method

    if "published" in case and authorization != case["published"]:
        sys.exit(f"{folder.name}: official runtime gives {authorization}, published {case['published']}")
    write(folder, "canonical-request.txt", captured["canonical_request"])
    write(folder, "string-to-sign.txt", captured["string_to_sign"])
    write(folder, "authorization.txt", authorization)
    write(folder, "query.txt", encode_pairs(case["query"]))
    if case["form"]:
        write(folder, "body.txt", body.decode("utf-8"))


def record_v2(folder, case):
    carried = {name for name, _ in case["query"] + case["form"]}
    common = [
        ("Format", "JSON"),
        ("Version", case["version"]),
        ("AccessKeyId", case["access_key_id"]),
        ("SignatureMethod", "HMAC-SHA1"),
        ("Timestamp", case["timestamp"]),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", case["nonce"]),
        ("Action", case["action"]),
    ]
    if case["security_token"]:
        common.append(("SecurityToken", case["security_token"]))
    common = [(k, v) for k, v in common if k not in carried]
    signed = dict(case["query"] + case["form"] + common)

    captured = {}
    real_hmac = official.hmac

    class CaptureHmac:
        @staticmethod
        def new(key, msg, digestmod):
            captured["string_to_sign"] = msg.decode("utf-8")
            return real_hmac.new(key, msg, digestmod=digestmod)

    official.hmac = CaptureHmac
    try:
        signature = official.Utils.get_rpcsignature(signed, case["method"], case["access_key_secret"])
    finally:
        official.hmac = real_hmac

    if "published" in case and signature != case["published"]:
        sys.exit(f"{folder.name}: official runtime gives {signature}, published {case['published']}")
    write(folder, "canonical-query.txt", encode_pairs(list(signed.items())))
    write(folder, "string-to-sign.txt", captured["string_to_sign"])
    write(folder, "signature.txt", signature)
    write(folder, "query.txt", encode_pairs(case["query"] + common + [("Signature", signature)]))
    if case["form"]:
        write(folder, "body.txt", encode_pairs(case["form"]))


JSON_LISTS = [
    ["m-1", "m-2"],
    ["镜像 1", "emoji 😀", "Ünïcödé"],
    ["quote \" backslash \\ slash /", "tab\tnewline\ncr\r", "\u0001\u001f\u007f"],
    ["", " ", "a,b", "[x]", "{\"k\":1}"],
    ["\u2028\u2029", "<>&'"],
    [1, 2, -3, 9007199254740993],
    [1.5, 0.1, -2.25],
    [True, False],
]

PERCENT = [
    "abcXYZ019", "-_.~", " ", "*", "+", "/", "&", "=", "%", "\n", "?#[]@!$'()`,;:",
    "中文", "😀", "Ünïcödé", "a b+c*d~e/f", "", "\"<>\\^{|}",
]


def record_wire():
    folder = HERE / "wire"
    folder.mkdir(exist_ok=True)
    json_lists = [
        {"values": values,
         "expected": OpenApiUtil.array_to_string_with_specified_style(values, "Name", "json")}
        for values in JSON_LISTS
    ]
    percent = [{"text": text, "expected": official.Utils.get_encode_param(text)} for text in PERCENT]
    for name, data in (("json-lists.json", json_lists), ("percent-encoding.json", percent)):
        with open(folder / name, "w", encoding="utf-8", newline="") as out:
            json.dump(data, out, ensure_ascii=True, indent=2)
            out.write("\n")


def main():
    record_wire()
    for folder in sorted((HERE / "v3").iterdir()):
        record_v3(folder, json.loads((folder / "request.json").read_text(encoding="utf-8")))
    for folder in sorted((HERE / "v2").iterdir()):
        record_v2(folder, json.loads((folder / "request.json").read_text(encoding="utf-8")))


if __name__ == "__main__":
    main()
