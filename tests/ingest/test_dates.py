"""parse_date: the written date styles news uses, to ISO."""

from __future__ import annotations

import pytest

from quotegraph.ingest.metadata import parse_date


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2025-03-14", "2025-03-14"),
        ("2025/03/14", "2025-03-14"),
        ("14 March 2025", "2025-03-14"),
        ("March 14, 2025", "2025-03-14"),
        ("March 14 2025", "2025-03-14"),
        ("12th March, 2020", "2020-03-12"),
        ("1st of May 2021", "2021-05-01"),
        ("Mar. 14, 2025", "2025-03-14"),
        ("Sept. 5, 2024", "2024-09-05"),
        ("14 MARCH 2025", "2025-03-14"),
        ("Friday, March 14, 2025", "2025-03-14"),
        ("  14  March\n2025 ", "2025-03-14"),
        ("2025-03-14T09:30:00Z", "2025-03-14T09:30:00Z"),
        ("2025-03-14T09:30:00+01:00", "2025-03-14T09:30:00+01:00"),
        ("2025-03-14 09:30", "2025-03-14 09:30"),
        ("Fri, 14 Mar 2025 09:30:00 GMT", "2025-03-14T09:30:00+00:00"),
    ],
)
def test_parses(written: str, iso: str) -> None:
    assert parse_date(written) == iso


@pytest.mark.parametrize(
    "written",
    [
        "",
        "March 14",
        "14 March",
        "2025-02-30",
        "30 February 2024",
        "03/04/2025",
        "2025-13-01T00:00",
        "Smarch 14, 2025",
        "yesterday",
        "14 March 2025 and more",
    ],
)
def test_rejects(written: str) -> None:
    assert parse_date(written) is None
