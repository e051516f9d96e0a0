"""The Plan page over a real database: live recompute, charts, errors, save, load, compare."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from builders import store_run
from PySide6.QtCore import QRect, Qt

from planner.gui.context import AppContext
from planner.gui.plan_page import PlanPage
from planner.gui.plan_toolbar import CHANGED, HAS_RUNS, NO_RUNS, ONLY_OFFLINE, SAVED
from planner.planning.scenario_file import parse_scenario
from planner.planning.scenario_writer import to_toml
from planner.planning.sensitivity import DEFAULT_SENSITIVITY
from planner.services import scenarios as plan_scenarios
from planner.services.plans import compute_from_text, plan_from_text
from planner.services.seeding import seed_database
from planner.storage.database import open_database
from planner.storage.plans import PlanRepository

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "scenarios" / "example.toml"
ONPREM = "2x L40S servers, colocated"


def _open(tmp_path: Path, *, with_run: bool = True):
    opened = open_database(tmp_path / "p.db")
    seed_database(opened)
    run_id = None
    if with_run:
        run = store_run(opened, points=4, scenario="concurrency")
        run_id = run.id
    return opened, run_id


@pytest.fixture
def page_and_run(qtbot, tmp_path: Path):
    opened, run_id = _open(tmp_path)
    context = AppContext(opened)
    page = PlanPage(context)
    qtbot.addWidget(page)
    yield page, run_id
    page.shutdown()
    opened.close()


def _example(run_id: str) -> dict:
    doc = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    for option in doc["options"]:
        if option["kind"] != "api":
            option["runs"] = [run_id]
    return doc


def _computed(qtbot, page: PlanPage, action) -> None:
    with qtbot.waitSignal(page.plan_computed, timeout=5_000):
        action()


def _curve(page: PlanPage, name: str) -> np.ndarray:
    return np.array(page.results.cumulative.curves[name].getData()[1])


def test_example_with_stored_run_draws_every_chart(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example(run_id)))
    names = [o["name"] for o in _example(run_id)["options"]]
    charts = page.results
    assert set(charts.cumulative.curves) == set(names)
    assert all(len(_curve(page, n)) == 48 for n in names)
    assert charts.units.curves and ONPREM in charts.units.curves
    assert charts.components.layers
    legend = charts.components.legend.names()
    assert legend[0] == "hardware (capex)" and not any("_" in name for name in legend)
    assert "staff: " in charts.components.describe(3.0)
    assert charts.per_thousand.cost_bars is not None and charts.per_thousand.margin_bars is not None
    assert charts.provenance.topLevelItemCount() == len(names)
    assert page.stack.currentIndex() == 1 and page.error_label.isHidden()
    assert page.results.decision.text().startswith("Decision (net present value at 8.0%")
    label = charts.cumulative.crosshair.move_to(12.2)
    assert label.startswith("month 12") and ONPREM in label
    assert "month 0" not in charts.cumulative.describe(0.0)
    bar = charts.per_thousand.tips.bars[0]
    assert "cost per 1k" in charts.per_thousand.tips.text_at((bar.x0 + bar.x1) / 2, bar.y1 / 2)
    assert "USD" in charts.cumulative.getPlotItem().getAxis("left").labelText


def test_breakeven_markers_follow_the_result(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example(run_id)))
    # The API costs 30 times the rest, so it starts hidden, and so do its break-evens;
    # every pair is still stated in words under the chart.
    assert page.results.toggles.hidden() == {"Managed vision API"}
    said = page.results.breakeven_label.text()
    assert all(f"against {b.alternative} " in said for b in page.result.breakeven)
    details = page.results.assumptions.text()
    assert all(f"{b.onprem} against {b.alternative}: " in details for b in page.result.breakeven)
    page.results.toggles.boxes["Managed vision API"].setChecked(True)
    months = [b.month for b in page.result.breakeven if b.month is not None]
    assert len(page.results.cumulative.breakeven_lines) == len(months)
    assert months, "the example should break even against some alternative"
    assert sorted(line.value() for line in page.results.cumulative.breakeven_lines) == sorted(
        months
    )


def test_changing_the_tariff_changes_the_on_prem_curve(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example(run_id)))
    before = _curve(page, ONPREM)
    editor = page.form.editor
    assert editor is not None and editor.option["name"] == ONPREM
    _computed(qtbot, page, lambda: editor.fields["tariff_per_kwh"].textEdited.emit("0.60"))
    after = _curve(page, ONPREM)
    assert after[-1] > before[-1]
    assert "tariff_per_kwh = 0.6" in page.text.toPlainText()


def test_changing_the_rate_changes_every_curve(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example(run_id)))
    names = [o["name"] for o in _example(run_id)["options"]]
    before = {name: _curve(page, name) for name in names}
    _computed(qtbot, page, lambda: page.form.rate_edit.textEdited.emit("80"))
    # The API's fees follow the rate; its operations staff (a catalogue default for every
    # option kind) does not. The chart shows present values, so the staff is discounted.
    result = page.result
    staff = result.option("Managed vision API").components["staff"]
    discount = (1 + result.discount_rate) ** (-np.arange(result.months) / 12)
    staff_curve = np.cumsum(staff * discount)
    fees_after = _curve(page, "Managed vision API") - staff_curve
    assert np.allclose(fees_after, (before["Managed vision API"] - staff_curve) * 2)
    for name in names:
        after = _curve(page, name)
        assert after[-1] > before[name][-1], f"{name}: doubling the rate did not raise its cost"


def test_invalid_input_is_shown_inline_and_recovers(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example(run_id)))
    before = _curve(page, ONPREM)
    page.form.editor.fields["tariff_per_kwh"].textEdited.emit("-1")
    qtbot.waitUntil(lambda: page.error_label.isHidden() is False, timeout=5_000)
    assert "tariff_per_kwh" in page.error_label.text()
    assert np.array_equal(_curve(page, ONPREM), before)
    _computed(qtbot, page, lambda: page.form.editor.fields["tariff_per_kwh"].textEdited.emit(""))
    assert page.error_label.isHidden()


def test_default_hints_name_source_and_unverified(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    doc = _example(run_id)
    del doc["options"][0]["tariff_per_kwh"]
    _computed(qtbot, page, lambda: page.open_scenario(doc))
    hints = page.form.editor.hints
    assert (
        "0.12" in hints["tariff_per_kwh"].text() and "unverified" in hints["tariff_per_kwh"].text()
    )
    assert "Uptime Institute" in hints["pue"].text() or hints["pue"].text() == "set in the scenario"
    assert "default 32,000 USD (2x NVIDIA L40S server)" in hints["unit_price"].text()


def test_uncertainty_arrives_after_the_longer_debounce(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    page.open_scenario(_example(run_id))
    mc = page.results.monte_carlo
    # The dwarfing API starts hidden (bands of the other three); ticking it draws its band.
    qtbot.waitUntil(lambda: len(mc.bands) == 3, timeout=5_000)
    page.results.toggles.boxes["Managed vision API"].setChecked(True)
    assert len(mc.bands) == 4
    assert set(mc.medians) == set(mc.bands)
    assert page.results.tornado.low_bars is not None
    assert len(page.results.tornado.tips.bars) == 2 * len(DEFAULT_SENSITIVITY)
    assert "%" in mc.summary
    assert page.longest_stall_ms < 2_000


def test_save_stores_a_plan_and_file_round_trips(qtbot, page_and_run, tmp_path: Path) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example(run_id)))
    plans = PlanRepository(page.context.db)
    with qtbot.waitSignal(page.context.plans_changed):
        assert page.save_scenario() is not None
    assert len(plans.plans()) == 1
    path = tmp_path / "saved.toml"
    assert page.save_scenario_file(path) is not None
    assert parse_scenario(path.read_text()).name == _example(run_id)["name"]
    assert page.toolbar.stored_combo.count() == 1
    _computed(qtbot, page, lambda: page.load_scenario_file(path))
    assert len(page.scenarios) == 2
    _computed(qtbot, page, lambda: page.load_stored_scenario(plans.plans()[0].scenario_id))
    assert len(page.scenarios) == 3 and page.current == 2


def test_save_stores_the_plan_the_worker_computed_without_computing_again(
    qtbot, page_and_run, monkeypatch
) -> None:
    page, run_id = page_and_run
    with qtbot.waitSignal(page.uncertainty_computed, timeout=10_000) as computed:
        page.open_scenario(_example(run_id))

    def computes_again(*_args, **_kwargs):
        raise AssertionError("Save computed the plan again")

    monkeypatch.setattr("planner.gui.plan_page.plan_from_text", computes_again)
    saved = page.save_scenario()
    assert saved is not None and saved.result is computed.args[0]
    assert saved.run_ids == (run_id,)
    stored = PlanRepository(page.context.db).plans()[0]
    assert stored.run_ids == (run_id,) and stored.result.monte_carlo is not None
    text = to_toml(page.scenario)
    fresh = compute_from_text(page.context.opened, text)[2]
    assert stored.result.to_dict() == fresh.to_dict()


def test_save_computes_here_when_the_worker_plan_is_not_for_this_text(
    qtbot, page_and_run, monkeypatch
) -> None:
    page, run_id = page_and_run
    with qtbot.waitSignal(page.uncertainty_computed, timeout=10_000):
        page.open_scenario(_example(run_id))
    calls: list[str] = []

    def counted(opened, text, source):
        calls.append(text)
        return plan_from_text(opened, text, source)

    monkeypatch.setattr("planner.gui.plan_page.plan_from_text", counted)
    page.form.rate_edit.textEdited.emit("20")  # edited: the worker's plan is for old text
    saved = page.save_scenario()
    assert saved is not None and calls == [to_toml(page.scenario)]
    assert saved.result.monte_carlo is not None
    with qtbot.waitSignal(page.uncertainty_computed, timeout=10_000):
        page._schedule()
    page.recompute.forget_runs()  # a run arrived: "latest" may mean another run now
    assert page.save_scenario() is not None and len(calls) == 2
    with qtbot.waitSignal(page.uncertainty_computed, timeout=10_000):
        page._schedule()
    page.recompute.forget_catalog()  # a price changed
    assert page.save_scenario() is not None and len(calls) == 3


def test_provenance_rows_grow_to_show_their_whole_detail(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example(run_id)))
    tree = page.results.provenance
    tree.resize(500, 400)
    tree.show()
    qtbot.waitExposed(tree)
    top = tree.topLevelItem(0)
    child = max((top.child(i) for i in range(top.childCount())), key=lambda c: len(c.text(1)))
    width = tree.columnWidth(1) - 8
    needed = tree.fontMetrics().boundingRect(
        QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, child.text(1)
    )
    assert needed.height() > 2 * tree.fontMetrics().height()  # a detail of several lines
    qtbot.waitUntil(lambda: tree.visualItemRect(child).height() >= needed.height())


def test_duplicate_and_compare(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example(run_id)))
    _computed(qtbot, page, page.duplicate_scenario)
    assert page.scenario["name"].endswith("(copy)") and len(page.scenarios) == 2
    _computed(qtbot, page, lambda: page.form.rate_edit.textEdited.emit("20"))
    assert page.compare(0)
    table = page.results.compare
    assert table.rowCount() == 8
    assert table.item(6, 0).text() != table.item(6, 1).text()


def test_runs_sent_from_another_page_fill_measured_options(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example("latest")))
    _computed(qtbot, page, lambda: page.context.runs_sent_to_plan.emit([run_id]))
    runs = [o.get("runs") for o in page.scenario["options"]]
    assert runs == [[run_id], [run_id], [run_id], None]
    assert not page.error


def test_a_run_sent_with_nothing_open_starts_the_first_plan(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.context.runs_sent_to_plan.emit([run_id]))
    kinds = [o["kind"] for o in page.scenario["options"]]
    assert kinds == ["on-prem", "cloud", "api"]
    assert [o.get("runs") for o in page.scenario["options"]] == [[run_id], [run_id], None]
    assert not page.error
    assert set(page.results.cumulative.curves) == {o.name for o in page.result.options}


def test_plan_the_latest_run_from_the_empty_state(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    assert page.empty.starter_button.isEnabled()
    _computed(qtbot, page, page.empty.starter_button.click)
    assert page.scenario["options"][0]["runs"] == [run_id]


def test_toml_tab_edits_the_scenario(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example(run_id)))
    text = page.text.toPlainText().replace("horizon_months = 48", "horizon_months = 24")
    _computed(qtbot, page, lambda: page.text.setPlainText(text))
    assert page.result.months == 24 and page.form.demand_edits["horizon_months"].text() == "24"
    page.text.setPlainText("name = [broken")
    qtbot.waitUntil(lambda: "not valid TOML" in page.error_label.text(), timeout=5_000)


def test_options_add_duplicate_remove(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    _computed(qtbot, page, lambda: page.open_scenario(_example(run_id)))
    _computed(qtbot, page, lambda: page.form.add_option("api"))
    assert page.scenario["options"][-1] == {
        "kind": "api",
        "price_per_1k_requests": 1.0,
        "name": "api 2",
    }
    _computed(qtbot, page, page.form.duplicate_option)
    assert len(page.result.options) == 6
    _computed(qtbot, page, page.form.remove_option)
    assert len(page.result.options) == 5


def test_empty_state_says_what_to_do(qtbot, tmp_path: Path) -> None:
    opened, _ = _open(tmp_path, with_run=False)
    page = PlanPage(AppContext(opened))
    qtbot.addWidget(page)
    assert page.stack.currentIndex() == 0 and page.empty.message.text() == NO_RUNS
    page.load_example()
    qtbot.waitUntil(lambda: "no completed run" in page.error_label.text(), timeout=5_000)
    bad = tmp_path / "bad.toml"
    bad.write_text("demand = 3\n")
    page.load_scenario_file(bad)
    assert "[demand] must be a table" in page.error_label.text()
    page.load_scenario_file(tmp_path / "missing.toml")
    assert "not found" in page.error_label.text()
    page.shutdown()
    opened.close()


def test_empty_state_with_runs_offers_the_example(qtbot, page_and_run) -> None:
    page, _ = page_and_run
    assert page.empty.message.text() == HAS_RUNS
    _computed(qtbot, page, page.load_example)
    assert not page.error and len(page.result.options) == 4
    assert to_toml(page.scenario).count('runs = ["latest"]') == 3


def test_units_and_currency_in_labels(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    doc = _example(run_id)
    doc["currency"] = "EUR"
    doc["exchange_rates"] = {"USD": 0.93}
    _computed(qtbot, page, lambda: page.open_scenario(doc))
    assert page.form.demand_labels["price_per_1k"][0].text().startswith("Price charged (EUR")
    assert "EUR" in page.results.cumulative.getPlotItem().getAxis("left").labelText
    assert "EUR" in page.results.per_thousand.getPlotItem().getAxis("left").labelText
    assert "month" in page.results.units.getPlotItem().getAxis("bottom").labelText


def test_the_starter_skips_offline_runs_that_have_no_latency_under_load(
    qtbot, page_and_run
) -> None:
    page, run_id = page_and_run
    offline_id = "0" * 8 + "-0000-0000-0000-" + "0" * 12
    store_run(page.context.opened, 2, "offline", offline_id, "2026-11-27T10:00:00+00:00")
    assert plan_scenarios.completed_runs(page.context.opened)[0].id == offline_id
    _computed(qtbot, page, page.start_from_run)
    assert page.scenario["options"][0]["runs"] == [run_id]
    assert not page.error


def test_with_nothing_open_the_empty_state_alone_offers_the_starter(qtbot, tmp_path) -> None:
    opened, _ = _open(tmp_path, with_run=False)
    page = PlanPage(AppContext(opened))
    qtbot.addWidget(page)
    page.show()
    assert not page.toolbar.isVisible()  # one "Plan the latest run", in the empty state
    assert not page.empty.starter_button.isEnabled()
    store_run(opened, 2, "offline")
    page.context.runs_changed.emit()
    assert page.empty.message.text() == ONLY_OFFLINE
    assert not page.empty.starter_button.isEnabled()
    page.shutdown()
    opened.close()


def test_the_starter_is_saved_and_edits_say_they_are_not(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    with qtbot.waitSignal(page.context.plans_changed):
        _computed(qtbot, page, lambda: page.start_from_run(run_id))
    assert not page.toolbar.isHidden() and page.toolbar.saved_label.text() == SAVED
    assert len(PlanRepository(page.context.db).plans()) == 1
    assert page.toolbar.stored_combo.currentIndex() == 0
    _computed(qtbot, page, lambda: page.form.rate_edit.textEdited.emit("35"))
    assert page.toolbar.saved_label.text() == CHANGED
    notes = page.results.assumptions.text()
    assert "Latency target" in notes and "5 × the worst p99" in notes
    assert "Staff from catalogue defaults: This machine, bought as a server 0.5 FTE" in notes


def test_computing_never_blocks_the_window(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    with qtbot.waitSignal(page.uncertainty_computed, timeout=10_000):
        page.open_scenario(_example(run_id))
    # Monte Carlo and sensitivity ran on the worker: the GUI thread only resolved and drew.
    assert page.longest_stall_ms < 100


def test_the_tornado_names_inputs_for_people_and_ticks_in_money(qtbot, page_and_run) -> None:
    page, run_id = page_and_run
    with qtbot.waitSignal(page.uncertainty_computed, timeout=10_000):
        page.open_scenario(_example(run_id))
    tornado = page.results.tornado
    [level] = tornado.plot.getPlotItem().getAxis("left")._tickLevels
    labels = [text for _, text in level]
    assert len(labels) == len(DEFAULT_SENSITIVITY)
    assert all("_" not in text for text in labels)
    assert "on-prem staff cost ×0.75 to ×1.25" in labels
    assert "cloud and API staff cost ×0.75 to ×1.25" in labels
    assert "cloud price change per year −10 pts to +5 pts" in labels
    axis = tornado.plot.getPlotItem().getAxis("bottom")
    assert axis.tickStrings([-50_000.0, 0.0, 125_000.0], 1.0, 1.0) == [
        "-50 k USD",
        "0 USD",
        "125 k USD",
    ]
    assert "(the black line)" in tornado.caption.text()
    lines = page.results.assumptions.text().split("\n")
    flip = next(line for line in lines if line.startswith(("Nearest to flipping", "Could flip")))
    assert "_" not in flip and (" at its low end (" in flip or " at its high end (" in flip)


def test_a_token_demand_in_tokens_a_day_is_shown_and_edited_as_such(qtbot, page_and_run) -> None:
    page, _run_id = page_and_run
    scenario = {
        "name": "tokens a day",
        "demand": {
            "tokens_per_day": 172_800_000,
            "input_tokens_per_request": 1500,
            "output_tokens_per_request": 500,
            "ttft_target_ms": 2000.0,
            "horizon_months": 12,
        },
        "options": [{"kind": "api", "name": "api", "price_per_1k_requests": 1.0}],
    }
    _computed(qtbot, page, lambda: page.open_scenario(scenario))
    form = page.form
    assert form.rate_kind.currentData() == "tokens_per_day"
    assert float(form.rate_edit.text().replace(",", "")) == 172_800_000
    # Twice the tokens: 345,600,000 / (1,500 + 500) / 86,400 s = 2 requests/s.
    _computed(qtbot, page, lambda: form.rate_edit.textEdited.emit("345600000"))
    assert page.result.avg_rate[0] == pytest.approx(2.0)
    assert "average_rate" not in page.scenario["demand"]
