"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = ROOT.parent / "shared" / "real"


@pytest.fixture
def real_dir() -> Path:
    """../shared/real (development material, never committed); skip when absent."""
    if not SHARED_REAL.is_dir():
        pytest.skip("../shared/real is absent")
    return SHARED_REAL
