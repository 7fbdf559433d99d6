"""The seam's check of required fields: what each declared type lets through, and what it names."""

from __future__ import annotations

import attrs
import pytest

from divio_ext.core.conformance import mismatch


@attrs.define
class Part:
    uuid: str
    ratio: float
    note: str | None = None


@attrs.define
class Whole:
    uuid: str
    count: int
    enabled: bool
    label: str | None
    parts: list[Part]
    tags: list[str]
    note: str | None = None


def whole(**changes: object) -> Whole:
    fields: dict[str, object] = {
        "uuid": "w1",
        "count": 2,
        "enabled": True,
        "label": None,
        "parts": [Part("p1", 0.5), Part("p2", 1)],
        "tags": [],
    }
    fields.update(changes)
    return Whole(**fields)  # type: ignore[arg-type]


def test_a_model_that_holds_what_it_declares_passes() -> None:
    assert mismatch(whole()) is None


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"uuid": None}, "Whole.uuid is NoneType, not str"),
        ({"uuid": {"id": "w1"}}, "Whole.uuid is dict, not str"),
        ({"count": "2"}, "Whole.count is str, not int"),
        ({"count": True}, "Whole.count is bool, not int"),
        ({"count": 2.0}, "Whole.count is float, not int"),
        ({"enabled": 1}, "Whole.enabled is int, not bool"),
        ({"parts": None}, "Whole.parts is NoneType, not a list"),
        ({"tags": "a,b"}, "Whole.tags is str, not a list"),
        ({"parts": [Part("p1", 0.5), Part(7, 0.5)]}, "Whole.parts[1].uuid is int, not str"),  # type: ignore[arg-type]
        ({"parts": [Part("p1", "half")]}, "Whole.parts[0].ratio is str, not float"),  # type: ignore[arg-type]
    ],
)
def test_a_required_field_of_another_type_is_named_with_the_type_found(
    changes: dict[str, object], named: str
) -> None:
    assert mismatch(whole(**changes)) == named


def test_a_whole_number_is_a_number_but_true_is_not() -> None:
    assert mismatch(whole(parts=[Part("p1", 3)])) is None
    assert mismatch(whole(parts=[Part("p1", True)])) == "Whole.parts[0].ratio is bool, not float"


def test_optional_and_nullable_fields_are_left_to_the_rules_that_read_them() -> None:
    assert mismatch(whole(note=5, label=7, parts=[Part("p1", 0.5, note=[1])])) is None


def test_the_value_itself_is_never_quoted() -> None:
    secret = "sk_live_do_not_echo"
    problem = mismatch(whole(count=secret))
    assert problem is not None
    assert secret not in problem


def test_anything_that_is_not_a_model_has_nothing_to_check() -> None:
    assert mismatch(None) is None
    assert mismatch({"uuid": 5}) is None
