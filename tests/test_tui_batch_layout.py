"""The batch table's layout and rows without a terminal: columns never overlap nor pass the
width, a text always fills its column exactly, sorting puts rows without a value last."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from inspector.tui.batch_layout import GAP, fit, layout_columns
from inspector.tui.batch_rows import COLUMNS, BatchRows

contents = st.fixed_dictionaries({column: st.integers(0, 80) for column in COLUMNS})


@given(st.integers(60, 400), contents)
def test_columns_fit_the_width_in_order_without_overlap(
    width: int, content: dict[str, int]
) -> None:
    layout = layout_columns(width, content)
    names = [name for name, _, _ in layout.columns]
    assert names == [c for c in COLUMNS if c in names]
    assert {"id", "status", "model", "cost"} <= set(names)
    end = -GAP
    for _, start, size in layout.columns:
        assert size > 0 and start >= end + GAP
        end = start + size
    assert end <= width


@given(st.integers(20, 59), contents)
def test_a_very_narrow_table_still_lays_out_its_first_columns(
    width: int, content: dict[str, int]
) -> None:
    names = [name for name, _, _ in layout_columns(width, content).columns]
    assert names[:3] == ["id", "status", "model"]


@given(st.text(max_size=60), st.integers(0, 40), st.booleans())
def test_fit_fills_its_width_exactly(text: str, width: int, right: bool) -> None:
    fitted = fit(text, width, right=right)
    assert cell_len(fitted) == width
    if cell_len(text) <= width and width:
        assert text in fitted


def test_columns_left_out_in_order_as_the_width_shrinks() -> None:
    content = {"id": 35, "status": 9, "model": 27, "provider": 16, "cost": 10, "tokens": 15}
    shown = {w: [n for n, _, _ in layout_columns(w, content).columns] for w in (117, 80, 60)}
    assert shown[117] == list(COLUMNS)
    assert "tokens" not in shown[80] and "provider" in shown[80]
    assert "provider" not in shown[60] and "latency" not in shown[60]


def test_a_sort_puts_rows_without_a_value_last_either_way() -> None:
    rows = BatchRows(lambda result: None)  # type: ignore[arg-type,return-value]
    for gen_id in ("gen-3", "gen-1", "gen-2"):
        rows.add(gen_id)
    rows.sort_by("cost")  # no row has a cost yet: input order
    assert [row.gen_id for row in rows.view] == ["gen-3", "gen-1", "gen-2"]
    rows.sort_by("id")
    assert [row.gen_id for row in rows.view] == ["gen-1", "gen-2", "gen-3"]
    rows.reverse()
    assert [row.gen_id for row in rows.view] == ["gen-3", "gen-2", "gen-1"]
    rows.set_filter("GEN-2")
    assert [row.gen_id for row in rows.view] == ["gen-2"]
    assert rows.totals_cells()["label"] == "totals of 1 of 3"
