#!/usr/bin/env python3
"""Records what Alibaba Cloud's official Python SDKs put on the wire, as fixtures for the Rust tests.

Run by hand, never by CI (CI reads only the recorded fixtures):

    python3 tests/conformance/record.py           # (re-)record tests/conformance/fixtures/*.json
    python3 tests/conformance/record.py --check   # record in memory; fail if the files differ

On first use it makes its own virtual environment, `.venv-conformance/` at the repository root,
installs the exact versions pinned in `requirements.txt` beside this file, and runs itself again
inside it.

For every case below the official SDK builds its request exactly as it would for a real call, and
the recorder takes the request at `requests.Session.send`, the last step before a socket: the
prepared request is kept and a canned `200 {}` answer is handed back instead. Sockets and name
lookups are disabled for the whole run, so nothing can reach the network even by mistake.

What is recorded, per case: the typed input (keyed by documented wire name, lists as JSON arrays),
the method, path, the query and form-body parameters un-encoded and in the order the SDK sends
them, the encoded query string and body bytes exactly as they would leave the machine, and every
header that depends neither on the clock, the nonce nor the machine. In `signatures.json`: with a
fixed clock, nonce, user agent and credentials, the V3 (ACS3-HMAC-SHA256) signature of three
requests, with every input needed to rebuild them and the intermediate strings. In `sts.json`: the
unsigned STS calls (`AssumeRoleWithOIDC`, `AssumeRoleWithSAML`) whole, the common parameters the
SDK adds to their query (`common_query`, with the fixed date and nonce) apart from their own.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import hmac
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
VENV = REPO / ".venv-conformance"
REQUIREMENTS = HERE / "requirements.txt"
FIXTURES = HERE / "fixtures"

# The packages whose versions each fixture file names in its header.
RECORDED_PACKAGES = [
    "alibabacloud-ecs20140526",
    "alibabacloud-swas-open20200601",
    "alibabacloud-ens20171110",
    "alibabacloud-appstream-center20210901",
    "alibabacloud-tea-openapi",
    "alibabacloud-openapi-util",
    "alibabacloud-tea-util",
    "alibabacloud-tea",
    "alibabacloud-credentials",
    "alibabacloud_endpoint_util",
    "darabonba-core",
    "requests",
]

FIXED_DATE = "2024-01-02T03:04:05Z"
FIXED_NONCE = "0123456789abcdef0123456789abcdef"
# The SDK signs its User-Agent, which names the machine's OS, CPU and Python; a fixed value keeps
# the signature vectors the same wherever they are recorded.
FIXED_USER_AGENT = "conformance-recorder"
ACCESS_KEY_ID = "conformance-id"
ACCESS_KEY_SECRET = "conformance-secret"
SECURITY_TOKEN = "conformance-token"

# Headers left out of the per-case fixtures: they change with the clock, the nonce or the machine.
VOLATILE_HEADERS = {"x-acs-date", "x-acs-signature-nonce", "authorization", "user-agent"}

ENDPOINT_REGIONS = ["cn-hangzhou", "cn-beijing", "ap-southeast-1", "cn-hangzhou-finance", "cn-shenzhen-finance-1"]


# ---------------------------------------------------------------------------------------------
# The virtual environment
# ---------------------------------------------------------------------------------------------


def ensure_venv(script: Path = Path(__file__)) -> None:
    """Runs `script` (this one by default) again inside `.venv-conformance`, creating and filling
    the venv first if needed."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if sys.version_info < (3, 9):
        sys.exit(f"record.py needs Python 3.9 or newer to make its venv; this is {sys.version.split()[0]}")
    if not python.exists():
        print(f"creating {VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    # pip is quick when every pin is already satisfied, and repairs the venv when one is not.
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
        check=True,
    )
    os.execv(str(python), [str(python), str(script.resolve()), *sys.argv[1:]])


# ---------------------------------------------------------------------------------------------
# Isolation: no network, a fixed clock and nonce
# ---------------------------------------------------------------------------------------------


class NetworkBlocked(RuntimeError):
    """Raised by every socket operation: the recorder must never reach the network."""


def block_network() -> None:
    import socket

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise NetworkBlocked(f"the conformance recorder never opens connections (attempted with {args!r})")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def clear_sdk_environment() -> None:
    """Drops environment variables that would change what the SDK sends (user agent, proxies)."""
    for name in list(os.environ):
        if name.upper().startswith("ALIBABA_CLOUD_") or name.lower() in ("http_proxy", "https_proxy", "no_proxy"):
            del os.environ[name]


class Interceptor:
    """Takes every request at `requests.Session.send` and answers it with a canned `200 {}`.

    It also wraps the SDK's `DaraCore.do_action`, to keep the request as the SDK held it before
    the HTTP library encoded it (un-encoded query values, headers in the SDK's order).
    """

    def __init__(self) -> None:
        import requests
        from darabonba.core import DaraCore

        self.sdk_requests: list[dict[str, Any]] = []
        self.wire_requests: list[Any] = []
        original_do_action = DaraCore.do_action

        def do_action(request: Any, runtime_option: Any = None) -> Any:
            self.sdk_requests.append(
                {
                    "method": request.method,
                    "pathname": request.pathname,
                    "query": list(request.query.items()),
                    "headers": list(request.headers.items()),
                    "body": copy.copy(request.body),
                }
            )
            return original_do_action(request, runtime_option)

        def send(session: Any, prepared: Any, **kwargs: Any) -> Any:
            self.wire_requests.append(prepared)
            response = requests.Response()
            response.status_code = 200
            response.reason = "OK"
            response._content = b"{}"
            response.headers["content-type"] = "application/json;charset=utf-8"
            response.url = prepared.url
            response.request = prepared
            return response

        DaraCore.do_action = staticmethod(do_action)  # type: ignore[method-assign]
        requests.Session.send = send  # type: ignore[method-assign]

    def take(self) -> tuple[dict[str, Any], Any]:
        """The one request made since the last call, as the SDK held it and as it was prepared."""
        if len(self.sdk_requests) != 1 or len(self.wire_requests) != 1:
            raise RuntimeError(
                f"expected exactly one request, saw {len(self.sdk_requests)} from the SDK and "
                f"{len(self.wire_requests)} at the HTTP layer"
            )
        sdk, wire = self.sdk_requests.pop(), self.wire_requests.pop()
        return sdk, wire


def fix_clock_and_nonce() -> None:
    from alibabacloud_tea_openapi.utils import Utils

    Utils.get_timestamp = staticmethod(lambda: FIXED_DATE)  # type: ignore[method-assign]
    Utils.get_nonce = staticmethod(lambda: FIXED_NONCE)  # type: ignore[method-assign]


def fix_user_agent() -> Callable[[], None]:
    """Makes the signed User-Agent header machine-independent; returns the undo."""
    from alibabacloud_tea_openapi.utils import Utils

    original = Utils.__dict__["get_user_agent"]
    Utils.get_user_agent = staticmethod(lambda user_agent: FIXED_USER_AGENT)  # type: ignore[method-assign]

    def undo() -> None:
        Utils.get_user_agent = original  # type: ignore[method-assign]

    return undo


# ---------------------------------------------------------------------------------------------
# The operations
# ---------------------------------------------------------------------------------------------


def json_shrink(values: list[Any], name: str) -> str:
    """A list as one JSON string, by the function the SDK runtime uses for its own `json`-style
    ("shrink") parameters: `alibabacloud_openapi_util.client.Client.array_to_string_with_specified_style`
    with style `json`, which calls `alibabacloud_tea_util.client.Client.to_jsonstring`
    (`json.dumps(..., ensure_ascii=False, separators=(",", ":"))`)."""
    from alibabacloud_openapi_util.client import Client as OpenApiUtilClient

    return OpenApiUtilClient.array_to_string_with_specified_style(values, name, "json")


def comma_join(values: list[Any], name: str) -> str:
    """A list joined by commas, as the runtime's `simple` style (`",".join(map(str, values))`)."""
    from alibabacloud_openapi_util.client import Client as OpenApiUtilClient

    return OpenApiUtilClient.array_to_string_with_specified_style(values, name, "simple")


class Operation:
    """One operation of one official SDK, and how a typed request becomes that SDK's model."""

    def __init__(
        self,
        *,
        module: str,
        product: str,
        action: str,
        version: str,
        documented: list[str],
        string_lists: dict[str, Callable[[list[Any], str], str]],
        client_class: Callable[[], Any],
        request_class: Callable[[], Any],
        call: str,
        region_param: str | None,
        anonymous: bool = False,
    ) -> None:
        self.module = module
        self.product = product
        self.action = action
        self.version = version
        # Every request parameter the reference page documents, by wire name.
        self.documented = documented
        # Parameters the page types as a list but the SDK model takes as one string.
        self.string_lists = string_lists
        self.client_class = client_class
        self.request_class = request_class
        self.call = call
        self.region_param = region_param
        # Sent unsigned (the SDK's `auth_type = 'Anonymous'`): the client holds no credentials.
        self.anonymous = anonymous

    def sdk_input(self, request: dict[str, Any]) -> dict[str, Any]:
        """The typed request as the official model's `from_map` takes it."""
        out = {}
        for name, value in request.items():
            encode = self.string_lists.get(name)
            out[name] = encode(value, name) if encode else value
        return out

    def client(self, region: str, access_key_id: str, access_key_secret: str, security_token: str | None = None,
               endpoint: str | None = None) -> Any:
        from alibabacloud_tea_openapi.utils_models import Config

        if self.anonymous:
            config = Config(region_id=region, endpoint=endpoint)
        else:
            config = Config(
                access_key_id=access_key_id,
                access_key_secret=access_key_secret,
                security_token=security_token,
                region_id=region,
                endpoint=endpoint,
            )
        return self.client_class()(config)

    def model_parameters(self) -> list[str]:
        """Every request parameter the SDK model knows, by wire name."""
        model = self.request_class()()
        names: set[str] = set()
        for attribute in [a for a in vars(model) if not a.startswith("_")]:
            probe = self.request_class()()
            setattr(probe, attribute, [])
            try:
                names.update(probe.to_map().keys())
            except AttributeError:
                setattr(probe, attribute, "x")
                names.update(probe.to_map().keys())
        return sorted(names)


def swas_client() -> Any:
    from alibabacloud_swas_open20200601.client import Client

    return Client


def swas_request() -> Any:
    from alibabacloud_swas_open20200601.models import ListCustomImagesRequest

    return ListCustomImagesRequest


def ens_client() -> Any:
    from alibabacloud_ens20171110.client import Client

    return Client


def ens_request() -> Any:
    from alibabacloud_ens20171110.models import DescribeSelfImagesRequest

    return DescribeSelfImagesRequest


def ecs_client() -> Any:
    from alibabacloud_ecs20140526.client import Client

    return Client


def ecs_request() -> Any:
    from alibabacloud_ecs20140526.models import DescribeImagesRequest

    return DescribeImagesRequest


def appstream_client() -> Any:
    from alibabacloud_appstream_center20210901.client import Client

    return Client


def appstream_request() -> Any:
    from alibabacloud_appstream_center20210901.models import ListImageRequest

    return ListImageRequest


SWAS = Operation(
    module="swas_open",
    product="SWAS-OPEN",
    action="ListCustomImages",
    version="2020-06-01",
    documented=[
        "RegionId", "ClientToken", "ImageIds", "PageSize", "PageNumber", "ImageNames", "SystemSnapshotId",
        "DataSnapshotId", "Tag", "ResourceGroupId", "Share", "InstanceId",
    ],
    string_lists={"ImageIds": json_shrink, "ImageNames": json_shrink},
    client_class=swas_client,
    request_class=swas_request,
    call="list_custom_images",
    region_param="RegionId",
)

ENS = Operation(
    module="ens",
    product="Ens",
    action="DescribeSelfImages",
    version="2017-11-10",
    documented=["PageNumber", "PageSize", "ImageId", "ImageName", "SnapshotId"],
    string_lists={},
    client_class=ens_client,
    request_class=ens_request,
    call="describe_self_images",
    region_param=None,
)

ECS = Operation(
    module="ecs",
    product="Ecs",
    action="DescribeImages",
    version="2014-05-26",
    documented=[
        "RegionId", "ImageId", "Status", "SnapshotId", "ImageName", "ImageOwnerAlias", "Usage", "Tag",
        "PageNumber", "PageSize",
        # The current metadata's parameters, which the old page predates.
        "ShowExpired", "ImageFamily", "InstanceType", "IsSupportIoOptimized", "IsSupportCloudinit", "OSType",
        "Architecture", "DryRun", "ActionType", "ResourceGroupId", "Filter", "IsPublic", "ImageOwnerId",
    ],
    string_lists={"ImageId": comma_join},
    client_class=ecs_client,
    request_class=ecs_request,
    call="describe_images",
    region_param="RegionId",
)

APPSTREAM = Operation(
    module="appstream_center",
    product="appstream-center",
    action="ListImage",
    version="2021-09-01",
    documented=[
        "ImageId", "ImageName", "Status", "ImageType", "PackageType", "OsType", "BizType", "ProductType",
        "ProtocolType", "PageSize", "PageNumber", "ProductTypeList", "BizTypeList", "FeatureList", "LanguageType",
        "ResourceInstanceType", "FotaVersion", "PlatformName", "BizRegionIdList", "TagList", "PlatformNameList",
        "Distro",
    ],
    string_lists={},
    client_class=appstream_client,
    request_class=appstream_request,
    call="list_image",
    region_param=None,
)

OPERATIONS = [SWAS, ENS, ECS, APPSTREAM]


def sts_client() -> Any:
    from alibabacloud_sts20150401.client import Client

    return Client


def sts_oidc_request() -> Any:
    from alibabacloud_sts20150401.models import AssumeRoleWithOIDCRequest

    return AssumeRoleWithOIDCRequest


def sts_saml_request() -> Any:
    from alibabacloud_sts20150401.models import AssumeRoleWithSAMLRequest

    return AssumeRoleWithSAMLRequest


STS_OIDC = Operation(
    module="sts",
    product="Sts",
    action="AssumeRoleWithOIDC",
    version="2015-04-01",
    documented=["OIDCProviderArn", "RoleArn", "OIDCToken", "Policy", "DurationSeconds", "RoleSessionName"],
    string_lists={},
    client_class=sts_client,
    request_class=sts_oidc_request,
    call="assume_role_with_oidc",
    region_param=None,
    anonymous=True,
)

STS_SAML = Operation(
    module="sts",
    product="Sts",
    action="AssumeRoleWithSAML",
    version="2015-04-01",
    documented=["SAMLProviderArn", "RoleArn", "SAMLAssertion", "Policy", "DurationSeconds"],
    string_lists={},
    client_class=sts_client,
    request_class=sts_saml_request,
    call="assume_role_with_saml",
    region_param=None,
    anonymous=True,
)

# The unsigned operations, recorded together in `sts.json`: their whole request (method, query
# with the common parameters, headers) is compared, not only their own parameters.
ANONYMOUS_OPERATIONS = [STS_OIDC, STS_SAML]
ANONYMOUS_FILE = "sts.json"
ANONYMOUS_PACKAGE = "alibabacloud-sts20150401"
# What the SDK's anonymous RPC path adds to the query beside the operation's parameters.
COMMON_QUERY = ["Action", "Format", "Version", "Timestamp", "SignatureNonce"]

# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------

# Characters with a meaning in a query string, in a form body or in JSON, and a newline.
RESERVED = "a b&c=d%e+f/g*h~i\nj"
MORE_RESERVED = "#?;,:@!$'()[]\"\\|^`{}<>"
CHINESE = "镜像测试"
EMOJI = "🚀✨"


def tags(count: int, key: str = "key", value: str = "value") -> list[dict[str, str]]:
    return [{"Key": f"{key}{n}", "Value": f"{value}{n}"} for n in range(1, count + 1)]


CASES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "ListCustomImages": [
        ("required-only", {"RegionId": "cn-hangzhou"}),
        (
            "every-parameter",
            {
                "RegionId": "cn-hangzhou",
                "ClientToken": "123e4567-e89b-12d3-a456-426655440000",
                "ImageIds": ["fe9c66133a9d4688872869726b52****", "794c230fd3e64ea19f83f4d7a0ad****"],
                "PageSize": 10,
                "PageNumber": 1,
                "ImageNames": ["test1****", "test2****"],
                "SystemSnapshotId": "s-bp14m09pq8***0g6",
                "DataSnapshotId": "s-acscasca****",
                "Tag": [{"Key": "TestKey", "Value": "TestValue"}, {"Key": "env", "Value": "prod"}],
                "ResourceGroupId": "rg-aek2bti7cf7yj2i",
                "Share": False,
                "InstanceId": "ace0706b2ac4454d984295a94213****",
            },
        ),
        (
            "one-item-lists",
            {
                "RegionId": "cn-beijing",
                "ImageIds": ["m-only"],
                "ImageNames": ["only-name"],
                "Tag": [{"Key": "TestKey", "Value": "TestValue"}],
            },
        ),
        (
            "many-items",
            {
                "RegionId": "ap-southeast-1",
                "ImageIds": [f"m-{n:04d}" for n in range(1, 13)],
                "ImageNames": [f"name-{n}" for n in range(1, 4)],
                "Tag": tags(20),
            },
        ),
        ("partial-tags", {"RegionId": "cn-hangzhou", "Tag": [{"Key": "only-key"}, {"Value": "only-value"}]}),
        (
            "reserved-characters",
            {
                "RegionId": "cn-hangzhou",
                "ClientToken": "token&=+/ ~*%",
                "ImageIds": ["m-1,m-2", "m 3"],
                "ImageNames": [RESERVED, MORE_RESERVED, "line1\nline2\ttab"],
                "SystemSnapshotId": "s-a+b",
                "DataSnapshotId": "s-a/b",
                "Tag": [{"Key": "k&=", "Value": RESERVED}, {"Key": "k " + MORE_RESERVED, "Value": "v%20v"}],
                "ResourceGroupId": "rg a*b~c",
                "InstanceId": "i-1 2",
            },
        ),
        (
            "non-ascii",
            {
                "RegionId": "cn-hangzhou",
                "ImageIds": ["m-" + CHINESE],
                "ImageNames": [CHINESE, EMOJI, "Ünïcödé name"],
                "Tag": [{"Key": "环境", "Value": "测试 " + EMOJI}],
                "InstanceId": "实例-" + EMOJI,
            },
        ),
        (
            "empty-strings",
            {
                "RegionId": "cn-hangzhou",
                "ClientToken": "",
                "ImageIds": [""],
                "ImageNames": ["", "x"],
                "SystemSnapshotId": "",
                "DataSnapshotId": "",
                "Tag": [{"Key": "", "Value": ""}],
                "ResourceGroupId": "",
                "InstanceId": "",
            },
        ),
        ("boolean-true-and-numbers", {"RegionId": "cn-hangzhou", "Share": True, "PageSize": 100, "PageNumber": 2147483647}),
        ("boolean-false-and-numbers", {"RegionId": "cn-hangzhou", "Share": False, "PageSize": 1, "PageNumber": 0}),
        ("empty-lists", {"RegionId": "cn-hangzhou", "ImageIds": [], "ImageNames": [], "Tag": []}),
    ],
    "DescribeSelfImages": [
        ("no-parameters", {}),
        (
            "every-parameter",
            {
                "PageNumber": 1,
                "PageSize": 10,
                "ImageId": "centos_6_08_64_20G_a****",
                "ImageName": "centos_6_08_64_20G_a****",
                "SnapshotId": "sp-5xg63dmojc1oaa3pk****",
            },
        ),
        ("reserved-characters", {"ImageId": RESERVED, "ImageName": MORE_RESERVED, "SnapshotId": "sp a+b/c"}),
        ("non-ascii", {"ImageId": CHINESE, "ImageName": CHINESE + " " + EMOJI, "SnapshotId": "Ünïcödé"}),
        ("empty-strings", {"ImageId": "", "ImageName": "", "SnapshotId": ""}),
        ("numbers", {"PageNumber": 2147483647, "PageSize": 50}),
        ("number-zero", {"PageNumber": 0, "PageSize": 1}),
    ],
    "DescribeImages": [
        ("required-only", {"RegionId": "cn-hangzhou"}),
        (
            "every-parameter",
            {
                "RegionId": "cn-hangzhou",
                "ImageId": ["m-bp1e79zktg26n2b****", "suse11sp3_64_20G_aliaegis_20150428.vhd"],
                "Status": "Available",
                "SnapshotId": "s-bp1h173hj21puxb****",
                "ImageName": "suse11sp3_64_20G_aliaegis_20150428.vhd",
                "ImageOwnerAlias": "self",
                "Usage": "instance",
                "Tag": [{"Key": "TestKey", "Value": "TestValue"}, {"Key": "env", "Value": "prod"}],
                "PageNumber": 1,
                "PageSize": 10,
            },
        ),
        (
            "current-parameters",
            {
                "RegionId": "cn-hangzhou",
                "ShowExpired": True,
                "ImageFamily": "hangzhou-daily-update",
                "InstanceType": "ecs.g5.large",
                "IsSupportIoOptimized": True,
                "IsSupportCloudinit": False,
                "OSType": "linux",
                "Architecture": "x86_64",
                "DryRun": False,
                "ActionType": "CreateEcs",
                "ResourceGroupId": "rg-bp67acfmxazb4p****",
                "Filter": [
                    {"Key": "CreationStartTime", "Value": "2024-01-01T00:00Z"},
                    {"Key": "CreationEndTime", "Value": "2024-12-31T00:00Z"},
                ],
                "IsPublic": True,
                "ImageOwnerId": 1234567890123456,
                "Tag": tags(20),
            },
        ),
        ("one-item-lists", {"RegionId": "cn-beijing", "ImageId": ["m-only"], "Tag": [{"Key": "k", "Value": "v"}]}),
        (
            "many-items",
            {
                "RegionId": "ap-southeast-1",
                "ImageId": [f"m-{n:04d}" for n in range(1, 101)],
                "Tag": tags(5),
                "PageSize": 100,
            },
        ),
        ("partial-tags", {"RegionId": "cn-hangzhou", "Tag": [{"Key": "only-key"}, {"Key": "empty-value", "Value": ""}]}),
        (
            "reserved-characters",
            {
                "RegionId": "cn-hangzhou",
                "ImageId": ["m a", "m&b=c", "m+d/e"],
                "Status": "Available,Creating",
                "SnapshotId": "s*~%",
                "ImageName": RESERVED,
                "ImageOwnerAlias": "self others",
                "Usage": MORE_RESERVED,
                "Tag": [{"Key": "k&=", "Value": RESERVED}, {"Key": MORE_RESERVED, "Value": "v\nv"}],
            },
        ),
        (
            "non-ascii",
            {
                "RegionId": "cn-hangzhou",
                "ImageId": ["m-" + CHINESE, "m-" + EMOJI],
                "ImageName": CHINESE + EMOJI,
                "Tag": [{"Key": "环境", "Value": "测试 " + EMOJI}],
            },
        ),
        (
            "empty-strings",
            {
                "RegionId": "cn-hangzhou",
                "ImageId": [""],
                "Status": "",
                "SnapshotId": "",
                "ImageName": "",
                "ImageOwnerAlias": "",
                "Usage": "",
                "Tag": [{"Key": "k", "Value": ""}],
            },
        ),
        ("numbers", {"RegionId": "cn-hangzhou", "PageNumber": 2147483647, "PageSize": 1}),
        ("empty-lists", {"RegionId": "cn-hangzhou", "ImageId": [], "Tag": []}),
    ],
    "ListImage": [
        ("no-parameters", {}),
        (
            "every-parameter",
            {
                "ImageId": "img-bp13mu****",
                "ImageName": "DemoImage",
                "Status": "INIT",
                "ImageType": "User",
                "PackageType": "Ecs",
                "OsType": "Windows",
                "BizType": 1,
                "ProductType": "CloudApp",
                "ProtocolType": "ASP",
                "PageSize": 10,
                "PageNumber": 1,
                "ProductTypeList": ["CloudApp", "CloudDesktop"],
                "BizTypeList": [1, 2],
                "FeatureList": ["GPU", "Builder"],
                "LanguageType": "zh-CN",
                "ResourceInstanceType": "eds.enterprise_office.2c4g",
                "FotaVersion": "2.0.3-xxxx",
                "PlatformName": "Windows Server 2019",
                "BizRegionIdList": ["cn-shanghai", "cn-hangzhou"],
                "TagList": [{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "ops"}],
                "PlatformNameList": ["Windows 11", "Ubuntu"],
                "Distro": "Ubuntu 22.04 64位",
            },
        ),
        (
            "one-item-lists",
            {
                "ProductTypeList": ["CloudApp"],
                "BizTypeList": [1],
                "FeatureList": ["GPU"],
                "BizRegionIdList": ["cn-shanghai"],
                "TagList": [{"Key": "env", "Value": "test"}],
                "PlatformNameList": ["Windows 11"],
            },
        ),
        (
            "many-items",
            {
                "ProductTypeList": ["CloudApp", "CloudDesktop", "AppStreaming"],
                "BizTypeList": list(range(1, 13)),
                "FeatureList": [f"feature-{n}" for n in range(1, 13)],
                "BizRegionIdList": [f"cn-region-{n}" for n in range(1, 11)],
                "TagList": tags(11),
                "PlatformNameList": [f"platform {n}" for n in range(1, 4)],
            },
        ),
        ("query-only", {"Distro": "Ubuntu 22.04", "TagList": [{"Key": "only-key"}, {"Value": "only-value"}]}),
        (
            "reserved-characters",
            {
                "ImageId": "img a+b",
                "ImageName": RESERVED,
                "Status": MORE_RESERVED,
                "FotaVersion": "2.0.3 &=%+/*~",
                "PlatformName": "Windows Server 2019\nDatacenter",
                "FeatureList": [RESERVED, MORE_RESERVED],
                "PlatformNameList": ["a b", "a&b", "a=b", "a%b", "a+b", "a/b", "a*b", "a~b"],
                "TagList": [{"Key": "k&=", "Value": RESERVED}, {"Key": MORE_RESERVED, "Value": "v+v"}],
                "Distro": "Ubuntu 22.04 & more = %+/*~\n",
            },
        ),
        (
            "non-ascii",
            {
                "ImageName": CHINESE + " " + EMOJI,
                "LanguageType": "中文",
                "FeatureList": [CHINESE, EMOJI],
                "BizRegionIdList": ["华东"],
                "TagList": [{"Key": "环境", "Value": "测试 " + EMOJI}],
                "Distro": "Ubuntu 22.04 64位",
            },
        ),
        (
            "empty-strings",
            {
                "ImageId": "",
                "ImageName": "",
                "ImageType": "",
                "PackageType": "",
                "OsType": "",
                "ProductType": "",
                "ProtocolType": "",
                "LanguageType": "",
                "ResourceInstanceType": "",
                "FeatureList": [""],
                "TagList": [{"Key": "", "Value": ""}],
                "Distro": "",
            },
        ),
        ("numbers", {"BizType": 0, "BizTypeList": [0, 2147483647], "PageSize": 100, "PageNumber": 2147483647}),
        (
            "empty-lists",
            {
                "ProductTypeList": [],
                "BizTypeList": [],
                "FeatureList": [],
                "BizRegionIdList": [],
                "TagList": [],
                "PlatformNameList": [],
            },
        ),
    ],
}

CASES["AssumeRoleWithOIDC"] = [
    (
        "every-parameter",
        {
            "OIDCProviderArn": "acs:ram::113511544585****:oidc-provider/TestOidcIdp",
            "RoleArn": "acs:ram::113511544585****:role/testoidc",
            "OIDCToken": "eyJraWQiOiJKQzl3eDZ.eyJhdWQiOiJzdHMuYWxpeXVuY3MuY29tIn0.c2lnbmF0dXJl",
            "Policy": '{"Statement":[{"Action":["oss:Get*"],"Effect":"Allow","Resource":["*"]}],"Version":"1"}',
            "DurationSeconds": 3600,
            "RoleSessionName": "TestOidcAssumedRoleSession",
        },
    ),
    ("session-name-only", {"RoleSessionName": "pod-session"}),
    (
        "reserved-characters",
        {
            "OIDCProviderArn": "acs:ram::1:oidc-provider/a b",
            "RoleArn": "acs:ram::1:role/" + RESERVED,
            "OIDCToken": "tok+en/with=padding==",
            "RoleSessionName": "session " + MORE_RESERVED,
        },
    ),
]

CASES["AssumeRoleWithSAML"] = [
    (
        "every-parameter",
        {
            "SAMLProviderArn": "acs:ram::123456789012****:saml-provider/company1",
            "RoleArn": "acs:ram::123456789012****:role/adminrole",
            "SAMLAssertion": "PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPSJ1cm46b2FzaXM+Cg==",
            "Policy": '{"Statement":[{"Action":["ecs:Describe*"],"Effect":"Allow","Resource":["*"]}],"Version":"1"}',
            "DurationSeconds": 900,
        },
    ),
    ("reserved-characters", {"SAMLAssertion": "a+b/c=d " + CHINESE, "RoleArn": RESERVED}),
]

# ---------------------------------------------------------------------------------------------
# Recording
# ---------------------------------------------------------------------------------------------


def pairs_of(encoded: str) -> list[list[str]]:
    """An encoded query string or form body, decoded as a server decodes it (`+` is a space)."""
    return [[k, v] for k, v in parse_qsl(encoded, keep_blank_values=True, strict_parsing=bool(encoded), errors="strict")]


def wire_query_and_body(wire: Any) -> tuple[str, str]:
    query = urlsplit(wire.url).query
    body = wire.body
    if body is None:
        body = b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return query, body.decode("ascii")


def perform(op: Operation, interceptor: Interceptor, request: dict[str, Any], client: Any) -> tuple[dict[str, Any], Any]:
    model = op.request_class()().from_map(op.sdk_input(request))
    getattr(client, op.call)(model)
    return interceptor.take()


def record_case(op: Operation, interceptor: Interceptor, name: str, request: dict[str, Any]) -> dict[str, Any]:
    region = request.get(op.region_param, "cn-hangzhou") if op.region_param else "cn-hangzhou"
    client = op.client(region, ACCESS_KEY_ID, ACCESS_KEY_SECRET)
    sdk, wire = perform(op, interceptor, request, client)
    encoded_query, encoded_body = wire_query_and_body(wire)
    query = [[k, v] for k, v in sdk["query"]]
    body = pairs_of(encoded_body)
    # The query the HTTP layer sent must be the SDK's query, pair for pair and in order.
    if pairs_of(encoded_query) != query:
        raise RuntimeError(f"{op.action} {name}: the encoded query does not decode to the SDK's query")
    if sdk["body"] not in (None, "") and sdk["body"] != encoded_body:
        raise RuntimeError(f"{op.action} {name}: the body sent is not the body the SDK built")
    headers = {k: v for k, v in sdk["headers"] if k.lower() not in VOLATILE_HEADERS}
    return {
        "module": op.module,
        "action": op.action,
        "name": name,
        "request": request,
        "sdk_request": op.sdk_input(request),
        "method": wire.method,
        "path": urlsplit(wire.url).path,
        "query": query,
        "body": body,
        "encoded_query": encoded_query,
        "encoded_body": encoded_body,
        "headers": headers,
    }


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in RECORDED_PACKAGES}


def endpoints(op: Operation) -> dict[str, Any]:
    client = op.client("cn-hangzhou", ACCESS_KEY_ID, ACCESS_KEY_SECRET)
    resolved = {region: op.client(region, ACCESS_KEY_ID, ACCESS_KEY_SECRET)._endpoint for region in ENDPOINT_REGIONS}
    return {
        "endpoint_rule": client._endpoint_rule,
        "endpoint_map": client._endpoint_map,
        "resolved": resolved,
    }


def check_coverage(op: Operation, cases: list[tuple[str, dict[str, Any]]]) -> None:
    """Every documented parameter is set by some case; a case sets no undocumented parameter."""
    used = {name for _, request in cases for name in request}
    missing = [p for p in op.documented if p not in used]
    unknown = sorted(used - set(op.documented))
    if missing or unknown:
        raise RuntimeError(f"{op.action}: cases miss {missing} and set undocumented {unknown}")


def product_fixture(op: Operation, interceptor: Interceptor) -> dict[str, Any]:
    cases = CASES[op.action]
    check_coverage(op, cases)
    model = op.model_parameters()
    return {
        "recorded_by": "tests/conformance/record.py",
        "packages": versions(),
        "python": sys.version.split()[0],
        "module": op.module,
        "product": op.product,
        "action": op.action,
        "version": op.version,
        "documented_parameters": op.documented,
        "sdk_only_parameters": [p for p in model if p not in op.documented],
        "documented_but_not_in_sdk": [p for p in op.documented if p not in model],
        "string_lists": {
            name: ("json: alibabacloud_openapi_util array_to_string_with_specified_style(style='json')"
                   if encode is json_shrink else "comma: ','.join")
            for name, encode in op.string_lists.items()
        },
        "endpoints": endpoints(op),
        "volatile_headers_left_out": sorted(VOLATILE_HEADERS),
        "cases": [record_case(op, interceptor, name, request) for name, request in cases],
    }


def anonymous_case(op: Operation, interceptor: Interceptor, name: str, request: dict[str, Any]) -> dict[str, Any]:
    """A case of an unsigned operation: as `record_case`, with the query split into the common
    parameters the SDK adds (`common_query`) and the operation's own (`query`)."""
    case = record_case(op, interceptor, name, request)
    full = case["query"]
    case["query"] = [pair for pair in full if pair[0] not in COMMON_QUERY]
    case["common_query"] = [pair for pair in full if pair[0] in COMMON_QUERY]
    if [k for k, _ in case["common_query"]] != COMMON_QUERY:
        raise RuntimeError(f"{op.action} {name}: the common parameters are {case['common_query']}")
    return case


def anonymous_fixture(interceptor: Interceptor) -> dict[str, Any]:
    from importlib.metadata import version

    cases = []
    for op in ANONYMOUS_OPERATIONS:
        op_cases = CASES[op.action]
        check_coverage(op, op_cases)
        cases.extend(anonymous_case(op, interceptor, name, request) for name, request in op_cases)
    return {
        "recorded_by": "tests/conformance/record.py",
        "packages": {**versions(), ANONYMOUS_PACKAGE: version(ANONYMOUS_PACKAGE)},
        "python": sys.version.split()[0],
        "module": "sts",
        "product": "Sts",
        "version": "2015-04-01",
        "fixed": {"date": FIXED_DATE, "nonce": FIXED_NONCE},
        "notes": [
            "Unsigned operations (auth_type 'Anonymous') go through the SDK runtime's do_rpcrequest: "
            "common_query holds what it adds to the query (Action, Format, Version, Timestamp, "
            "SignatureNonce, with the fixed date and nonce), query the operation's own parameters; "
            "no SignatureMethod, SignatureVersion, Signature or AccessKeyId, no x-acs-date or "
            "Authorization header.",
        ],
        "volatile_headers_left_out": sorted(VOLATILE_HEADERS),
        "cases": cases,
    }


# ---------------------------------------------------------------------------------------------
# Signatures
# ---------------------------------------------------------------------------------------------

SIGNED_REQUESTS: list[tuple[str, Operation, str, str | None, dict[str, Any]]] = [
    (
        "swas-list-custom-images",
        SWAS,
        "cn-hangzhou",
        # The client's own rule falls back to the central swas-open.aliyuncs.com; Alibaba's endpoint
        # list and samples use the regional host, which is what a caller passes here.
        "swas.cn-hangzhou.aliyuncs.com",
        {
            "RegionId": "cn-hangzhou",
            "ImageNames": ["web server", "镜像"],
            "Tag": [{"Key": "env", "Value": "prod test"}],
            "PageSize": 20,
            "PageNumber": 1,
            "Share": True,
        },
    ),
    (
        "appstream-list-image-form-body",
        APPSTREAM,
        "cn-shanghai",
        None,
        {
            "ImageName": "Demo Image",
            "FeatureList": ["GPU", "Builder"],
            "PageSize": 10,
            "BizTypeList": [1],
            "TagList": [{"Key": "env", "Value": "测试"}],
            "Distro": "Ubuntu 22.04",
        },
    ),
    (
        "ecs-describe-images",
        ECS,
        "cn-shanghai",
        None,
        {
            "RegionId": "cn-shanghai",
            "ImageId": ["m-1", "m-2"],
            "ImageName": "ubuntu*22~04 a/b+c",
            "SnapshotId": "",
            "Status": "Available",
            "Tag": [{"Key": "k", "Value": "v"}],
            "PageSize": 10,
        },
    ),
]


def record_signature(
    name: str, op: Operation, region: str, endpoint: str | None, request: dict[str, Any], token: str | None,
    interceptor: Interceptor,
) -> dict[str, Any]:
    from alibabacloud_tea_openapi.utils import get_canonical_query_string, get_canonicalized_headers

    client = op.client(region, ACCESS_KEY_ID, ACCESS_KEY_SECRET, token, endpoint)
    sdk, wire = perform(op, interceptor, request, client)
    headers = dict(sdk["headers"])
    authorization = headers.pop("Authorization")
    body = sdk["body"] if sdk["body"] is not None else ""
    body_bytes = body.encode("utf-8") if isinstance(body, str) else bytes(body)

    # Rebuild the signature from the recorded inputs with the SDK's own canonicalisation, so the
    # fixture is known to hold everything the signature depends on.
    canonical_query = get_canonical_query_string(dict(sdk["query"]))
    canonical_headers, signed_headers = get_canonicalized_headers(headers)
    payload_hash = hashlib.sha256(body_bytes).hexdigest()
    canonical_request = "\n".join(
        [sdk["method"], sdk["pathname"] or "/", canonical_query, canonical_headers, signed_headers, payload_hash]
    )
    string_to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    signature = hmac.new(ACCESS_KEY_SECRET.encode(), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    expected = f"ACS3-HMAC-SHA256 Credential={ACCESS_KEY_ID},SignedHeaders={signed_headers},Signature={signature}"
    if expected != authorization:
        raise RuntimeError(f"{name}: the recorded inputs do not reproduce the SDK's signature")
    if headers.get("x-acs-content-sha256") != payload_hash:
        raise RuntimeError(f"{name}: x-acs-content-sha256 is not the SHA-256 of the body")

    encoded_query, encoded_body = wire_query_and_body(wire)
    return {
        "name": name + ("-security-token" if token else "-access-key"),
        "module": op.module,
        "action": op.action,
        "version": op.version,
        "credentials": {
            "access_key_id": ACCESS_KEY_ID,
            "access_key_secret": ACCESS_KEY_SECRET,
            "security_token": token,
        },
        "date": FIXED_DATE,
        "nonce": FIXED_NONCE,
        "request": request,
        "host": headers["host"],
        "method": sdk["method"],
        "path": sdk["pathname"],
        "query": [[k, v] for k, v in sdk["query"]],
        "body": body_bytes.decode("utf-8"),
        "headers_before_signing": [[k, v] for k, v in headers.items()],
        "canonical_request": canonical_request,
        "string_to_sign": string_to_sign,
        "signed_headers": signed_headers,
        "signature": signature,
        "authorization": authorization,
        "x_acs_headers": {k: v for k, v in headers.items() if k.lower().startswith("x-acs-")},
        "encoded_query": encoded_query,
        "encoded_body": encoded_body,
    }


def signatures_fixture(interceptor: Interceptor) -> dict[str, Any]:
    undo = fix_user_agent()
    try:
        vectors = [
            record_signature(name, op, region, endpoint, request, token, interceptor)
            for name, op, region, endpoint, request in SIGNED_REQUESTS
            for token in (None, SECURITY_TOKEN)
        ]
    finally:
        undo()
    return {
        "recorded_by": "tests/conformance/record.py",
        "packages": versions(),
        "python": sys.version.split()[0],
        "algorithm": "ACS3-HMAC-SHA256",
        "fixed": {
            "date": FIXED_DATE,
            "nonce": FIXED_NONCE,
            "user-agent": FIXED_USER_AGENT,
        },
        "notes": [
            "The official signer signs every header the request carries (names lower-cased, sorted), "
            "including accept, user-agent and x-acs-credentials-provider; headers_before_signing is that set.",
            "query holds the un-encoded parameters as the signer saw them; canonical_request encodes them "
            "RFC 3986 style (space as %20), while encoded_query is what the HTTP layer sends (space as +).",
        ],
        "vectors": vectors,
    }


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def render(document: dict[str, Any]) -> str:
    """JSON indented by two spaces, with every list of scalars (a `[name, value]` pair, a list of
    IDs) kept on one line so that a fixture reads as the request it records."""

    def scalar(value: Any) -> bool:
        return not isinstance(value, (dict, list))

    def write(value: Any, depth: int) -> str:
        pad = "  " * depth
        if isinstance(value, dict) and value:
            items = [f"{pad}  {json.dumps(k, ensure_ascii=False)}: {write(v, depth + 1)}" for k, v in value.items()]
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        if isinstance(value, list) and value and not all(scalar(item) for item in value):
            items = [f"{pad}  {write(item, depth + 1)}" for item in value]
            return "[\n" + ",\n".join(items) + "\n" + pad + "]"
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    return write(document, 0) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="record in memory and fail if a fixture file differs")
    args = parser.parse_args()

    ensure_venv()
    clear_sdk_environment()
    block_network()
    interceptor = Interceptor()
    fix_clock_and_nonce()

    documents = {f"{op.module}.json": product_fixture(op, interceptor) for op in OPERATIONS}
    documents["signatures.json"] = signatures_fixture(interceptor)
    documents[ANONYMOUS_FILE] = anonymous_fixture(interceptor)

    stale = []
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for file_name, document in documents.items():
        path = FIXTURES / file_name
        text = render(document)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(REPO)))
        else:
            path.write_text(text, encoding="utf-8")
            count = len(document.get("cases", document.get("vectors", [])))
            print(f"wrote {path.relative_to(REPO)} ({count} {'cases' if 'cases' in document else 'vectors'})")
    if stale:
        print("stale fixtures (re-record with `python3 tests/conformance/record.py`): " + ", ".join(stale), file=sys.stderr)
        return 1
    if args.check:
        print(f"{len(documents)} fixture files match a fresh recording")
    return 0


if __name__ == "__main__":
    sys.exit(main())
