from pathlib import Path

from aip.schema.reference import scenario_markdown

DOC = Path(__file__).parents[2] / "docs" / "scenario.md"


def test_scenario_reference_is_current() -> None:
    """docs/scenario.md is generated; regenerate with `python -m aip.schema.reference`."""
    assert DOC.read_text() == scenario_markdown()


def test_every_field_is_documented() -> None:
    text = scenario_markdown()
    for line in text.splitlines():
        if line.startswith("| `"):
            assert not line.rstrip().endswith("|  |"), line
