"""Fixtures shared by the test files."""

from __future__ import annotations

import os

import pytest

from marsad._native import speedups


@pytest.fixture(scope="module")
def native():
    """The compiled ``marsad._speedups`` module: skips where it was not built, fails instead when CI
    sets ``MARSAD_REQUIRE_SPEEDUPS`` (a failed build must not pass as skipped tests)."""
    module = speedups()
    if module is None:
        if os.environ.get("MARSAD_REQUIRE_SPEEDUPS"):
            pytest.fail("marsad._speedups was not built (MARSAD_REQUIRE_SPEEDUPS is set): is a C compiler there?")
        pytest.skip("marsad._speedups was not built here (no C compiler at install)")
    return module
