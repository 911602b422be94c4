"""`--mirror NAME|URL|auto`: names from the catalogue, URLs checked, `auto` measured against local servers."""

from __future__ import annotations

import pytest

from d2l_doctor.errors import UsageError
from d2l_doctor.matrix import load_matrix
from d2l_doctor.mirrors import MirrorChoice, PipIndex, measure, resolve_mirror, torch_wheel_index
from tests.fix.helpers import TEST_CATALOGUE, catalogue
from tests.fix.servers import mirror_server


def test_pypi_is_the_users_own_configuration() -> None:
    choice = resolve_mirror("pypi", TEST_CATALOGUE)
    assert choice.label == "pypi" and choice.pypi is None


def test_a_name_gives_its_index_and_conda_channels() -> None:
    choice = resolve_mirror("TUNA", TEST_CATALOGUE)
    assert choice.pypi == PipIndex("https://pypi.tuna.tsinghua.edu.cn/simple")
    assert choice.conda is not None and choice.conda.default_channels[0].startswith("https://mirrors.tuna")


def test_every_mirror_in_the_bundled_matrix_resolves() -> None:
    mirrors = load_matrix(None).mirrors
    for name in ("tuna", "aliyun", "ustc", "bfsu", "sjtu", "nju", "tencent", "huawei", "douban", "pypi"):
        choice = resolve_mirror(name, mirrors)
        assert choice.label == name
        assert (choice.pypi is None) == (name == "pypi")
        if choice.pypi is not None:
            assert choice.pypi.url.startswith("https://") and choice.pypi.trusted_host is None


@pytest.mark.parametrize(
    "url",
    [
        "https://pypi.example.org/simple",
        "https://pypi.example.org/simple/",
        "https://mirror.example.cn/pypi/web/simple",
    ],
)
def test_https_simple_urls_are_taken_as_given(url: str) -> None:
    choice = resolve_mirror(url, TEST_CATALOGUE)
    assert choice.pypi == PipIndex(url) and choice.label == url


@pytest.mark.parametrize(
    ("url", "trusted"),
    [
        ("http://127.0.0.1:8080/simple", "127.0.0.1:8080"),
        ("http://127.1.2.3/simple/", "127.1.2.3"),
        ("http://localhost:3141/root/pypi/simple", "localhost:3141"),
        ("http://[::1]:8000/simple", "[::1]:8000"),
    ],
)
def test_plain_http_on_this_machine_gets_trusted_host(url: str, trusted: str) -> None:
    assert resolve_mirror(url, TEST_CATALOGUE).pypi == PipIndex(url, trusted_host=trusted)


@pytest.mark.parametrize(
    "spec",
    [
        "nope",
        "tsinghua",
        "http://pypi.example.org/simple",  # http to another host
        "http://10.0.0.1/simple",
        "https://pypi.example.org/packages",  # not a simple index
        "ftp://127.0.0.1/simple",
        "https://user:secret@pypi.example.org/simple",
        "https://pypi.example.org/simple?x=1",
        "https:///simple",
        "https://pypi.example.org:99999/simple",
        "https://pypi.example.org/simple with space",
    ],
)
def test_bad_mirrors_are_usage_errors_naming_the_choices(spec: str) -> None:
    with pytest.raises(UsageError) as err:
        resolve_mirror(spec, TEST_CATALOGUE)
    message = str(err.value)
    assert "\n" not in message
    assert all(name in message for name in ("pypi", "tuna", "aliyun", "auto"))


def test_bad_mirror_message_in_chinese() -> None:
    with pytest.raises(UsageError, match="未知"):
        resolve_mirror("nope", TEST_CATALOGUE, lang="zh")


# --------------------------------------------------------------------------- auto, against local servers


def test_auto_takes_the_fastest_that_answered_and_keeps_every_time() -> None:
    with (
        mirror_server() as fast,
        mirror_server(delay=1.0) as late,
        mirror_server(delay=2.0) as slow,
        mirror_server(status=500) as broken,
        mirror_server(status=302, location=f"{late}/redirected/pip/") as moved,
    ):
        mirrors = catalogue(
            slow=f"{slow}/simple", broken=f"{broken}/simple", moved=f"{moved}/simple", fast=f"{fast}/simple"
        )
        choice = resolve_mirror("auto", mirrors, timeout=5.0)
    assert choice.label == "fast" and choice.pypi == PipIndex(f"{fast}/simple", trusted_host=fast[7:])
    assert not choice.auto_fell_back
    by_name = {m.name: m for m in choice.timings}
    assert [m.name for m in choice.timings] == ["fast", "moved", "slow", "broken"]
    assert by_name["fast"].url == f"{fast}/simple/pip/"
    assert by_name["moved"].final_url == f"{late}/redirected/pip/"
    assert by_name["moved"].seconds is not None and by_name["moved"].seconds >= 1.0
    assert by_name["broken"].seconds is None and "500" in (by_name["broken"].error or "")
    assert "pypi" not in by_name  # the user's own configuration has no URL to measure


def test_auto_with_no_answer_falls_back_to_the_users_configuration() -> None:
    with mirror_server(status=503) as down, mirror_server(delay=3.0) as hung:
        choice = resolve_mirror("auto", catalogue(down=f"{down}/simple", hung=f"{hung}/simple"), timeout=0.5)
    assert choice.label == "pypi" and choice.pypi is None and choice.auto_fell_back
    assert all(not m.ok and m.error for m in choice.timings)


def test_measure_uses_the_injected_fetch_concurrently() -> None:
    seen: list[str] = []

    def fetch(url: str, timeout: float) -> tuple[str, float]:
        seen.append(url)
        if "b.example" in url:
            raise OSError("connection refused")
        return url, {"a.example": 0.2, "c.example": 0.1}[url.split("/")[2]]

    timings = measure(
        catalogue(a="https://a.example/simple", b="https://b.example/simple/", c="https://c.example/simple"),
        fetch=fetch,
    )
    assert sorted(seen) == [
        "https://a.example/simple/pip/",
        "https://b.example/simple/pip/",
        "https://c.example/simple/pip/",
    ]
    assert [m.name for m in timings] == ["c", "a", "b"] and timings[2].error == "connection refused"


# --------------------------------------------------------------------------- PyTorch wheels


def test_torch_wheels_use_the_mirrors_pytorch_mirror_for_its_variants() -> None:
    sjtu = resolve_mirror("sjtu", TEST_CATALOGUE)
    assert torch_wheel_index(sjtu, "cu126", "https://download.pytorch.org/whl/cu126") == PipIndex(
        "https://mirror.sjtu.edu.cn/pytorch-wheels/cu126"
    )
    aliyun = resolve_mirror("aliyun", TEST_CATALOGUE)
    assert torch_wheel_index(aliyun, "cu126", "x") == PipIndex(
        "https://mirrors.aliyun.com/pytorch-wheels/cu126/", find_links=True
    )
    nju = resolve_mirror("nju", TEST_CATALOGUE)  # no variant list: it mirrors them all
    assert torch_wheel_index(nju, "cu130", "x") == PipIndex("https://mirror.nju.edu.cn/pytorch/whl/cu130/")


def test_torch_wheels_never_come_from_a_pypi_mirror() -> None:
    official = "https://download.pytorch.org/whl/cu130"
    for name in ("tuna", "sjtu", "aliyun"):  # tuna has none; sjtu and aliyun do not carry cu130
        choice = resolve_mirror(name, TEST_CATALOGUE)
        assert torch_wheel_index(choice, "cu130", official) == PipIndex(official)
    url_choice = MirrorChoice(label="https://x.example/simple", pypi=PipIndex("https://x.example/simple"))
    assert torch_wheel_index(url_choice, "cpu", "https://download.pytorch.org/whl/cpu") == PipIndex(
        "https://download.pytorch.org/whl/cpu"
    )
