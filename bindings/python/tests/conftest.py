"""Shared fixtures for the eservices Python binding tests (run by bindings/python/test.sh)."""

import pathlib
import re

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def cargo_version() -> str:
    """The version in the crate's Cargo.toml ([package] section)."""
    text = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    package = text.split("[package]", 1)[1].split("\n[", 1)[0]
    match = re.search(r'^version\s*=\s*"([^"]+)"', package, re.MULTILINE)
    assert match, "no version in Cargo.toml"
    return match.group(1)
