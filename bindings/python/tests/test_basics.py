"""The bindings' basics: version, canonical JSON, GovError, hostile input."""

import pathlib

import pytest

import eservices
from eservices import GovError

from conftest import REPO


def test_module_is_the_installed_wheel():
    # pip installed the wheel; the tests must not import a stray copy from the source tree.
    location = pathlib.Path(eservices.__file__).resolve().parent
    assert REPO not in location.parents
    assert (location / "eservices" / "libeservices.so").is_file()
    assert (location / "py.typed").is_file()


def test_library_version_is_the_cargo_version(cargo_version):
    assert eservices.library_version() == cargo_version


def test_canonical_json_sorts_members_and_normalises():
    text = '{ "b": "\\u00e9", "a": {"d": 1, "c": [true, null, 10]} }'
    assert eservices.canonical_json(text) == '{"a":{"c":[true,null,10],"d":1},"b":"é"}'


def test_canonical_json_is_idempotent():
    once = eservices.canonical_json('{"z": [3, 2, 1], "y": {"x": "w"}}')
    assert eservices.canonical_json(once) == once


@pytest.mark.parametrize(
    "text",
    [
        '{"a": ',  # malformed
        '{"a": 1, "a": 2}',  # duplicate member name
        '{"amount": 1.5}',  # float
        "9007199254740993",  # beyond 2^53 - 1
        "[" * 40 + "]" * 40,  # too deep
        "",  # empty
        '{"a": 1} trailing',
    ],
)
def test_loose_json_is_refused_with_invalid_json(text):
    with pytest.raises(GovError.InvalidInput) as caught:
        eservices.canonical_json(text)
    err = caught.value
    assert isinstance(err, GovError)
    assert err.code == "invalid_json"
    assert err.detail.startswith("invalid JSON at $")
    assert err.field_errors == []  # only invalid_answers lists refused form answers


def test_the_error_names_the_json_path():
    with pytest.raises(GovError.InvalidInput) as caught:
        eservices.canonical_json('{"fees": [{"amount": 1.5}]}')
    assert "$.fees[0].amount" in caught.value.detail


def test_huge_input_is_refused_not_crashed():
    huge = '"' + "x" * (2 * 1024 * 1024) + '"'
    with pytest.raises(GovError.InvalidInput) as caught:
        eservices.canonical_json(huge)
    assert caught.value.code == "invalid_json"
    assert len(str(caught.value)) < 1000


def test_large_valid_input_round_trips():
    big = '["' + "é" * 200_000 + '"]'
    assert eservices.canonical_json(big) == big


def test_non_ascii_and_nul_survive_the_boundary():
    assert eservices.canonical_json('["\\u0000", "ü😀"]') == '["\\u0000","ü😀"]'


def test_wrong_argument_type_is_a_python_type_error():
    with pytest.raises(TypeError):
        eservices.canonical_json(None)  # type: ignore[arg-type]
