"""The owner's cockpit: move a control, see at once whether the bonus pays and who gets what.

:class:`BonusCockpit` holds the controls (built in :mod:`.cockpit_controls`, drawn by
:mod:`.cockpit_views`; the wiring is here) (labels ``Period``, ``Revenue target``,
``GOP target``, ``Revenue gate``, ``GOP gate``, ``Pool set by``, ``Pool rate``,
``Pool cap``, ``Shared by``, ``Individual cap``, ``Scenario``) and the outputs. Beside
the pool it says how far it is from the plan as written and which limit holds it; a box
beside each percentage slider takes ``95%``, ``95`` or ``0.95`` and says what it understood
(:mod:`planning.ui.readings`). Every
change calls :func:`planning.ui.model.evaluate` (the pure bonus engine) and stores the
answer in ``cockpit.result``, so tests can drive it without a browser or a kernel::

    cockpit = BonusCockpit(dataset)
    cockpit.gop_gate.value = 0.95
    cockpit.result.pool
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import date
from pathlib import Path

from planning.bonus_result import BonusResult
from planning.dataset import Dataset
from planning.errors import InputError
from planning.inputs import load_dataset
from planning.methods import POOL_METHODS
from planning.plan import Plan
from planning.ui import saving, scenario_bridge
from planning.ui.cockpit_controls import CockpitControls, from_control, show_on
from planning.ui.cockpit_views import CockpitViews
from planning.ui.components import (
    message_html,
)
from planning.ui.model import (
    ACTUALS,
    CockpitSettings,
    evaluate,
    evaluate_in_year,
    settings_from_plan,
)
from planning.ui.readings import parse_percent

__all__ = ["BonusCockpit"]

class BonusCockpit(CockpitControls, CockpitViews):
    """Widgets over the bonus engine for one dataset.

    Parameters
    ----------
    dataset : Dataset
    period : str, optional
        The period shown first (default: the latest with actuals and targets).
    plan : Plan, optional
        The plan the controls start from and whose hidden keys (floor, curve, points,
        eligibility rules) are kept (default: the dataset's plan).
    design_path : str or Path
        Where "Save this design" writes by default. Its folder, as it is when the cockpit
        starts, is the only folder the cockpit ever writes in (:mod:`planning.ui.saving`).
    charts : bool
        Draw charts (False for a table-and-numbers cockpit, and for the model-only benchmark).

    Attributes
    ----------
    result : BonusResult or None
        The bonus for the current settings; None while the settings are not a valid plan.
        With a ``year:`` plan on actuals, the quarter as its year settles it (``pool`` is the
        quarter's pool, payouts are what is shared now, as ``bonus --period`` shows it).
    year_result : YearResult or None
        That year through the quarter (None without a year plan, or on a scenario).
    error : str or None
        What is wrong with the current settings (also shown in the page).
    simulation : object or None
        The last Monte Carlo result (see :mod:`planning.montecarlo`).
    widget : ipywidgets.Widget
        The whole cockpit; displaying the cockpit displays this.
    """

    def __init__(self, dataset: Dataset, period: str | None = None, plan: Plan | None = None,
                 design_path: str | Path = "plan-design.yaml", charts: bool = True):
        if not dataset.reportable_periods:
            raise InputError.single("targets.csv", "no period has both actuals and targets; "
                                    "the cockpit needs at least one")
        self.dataset = dataset
        self.base_plan = plan or dataset.plan
        self.draw_charts = charts
        self.result: BonusResult | None = None
        self.year_result = None  # the year so far, with a year plan on actuals
        self.error: str | None = None
        self.simulation = None
        self.settings: CockpitSettings | None = None
        self._quiet_depth = 0
        self._models: dict[tuple[str, str], object] = {}
        self._as_written: dict[tuple[str, str], tuple] = {}  # (period, scenario) -> (settings, result)
        start = str(dataset.require_period(period)) if period else str(dataset.reportable_periods[-1])
        initial = settings_from_plan(dataset, start, self.base_plan)
        self.save_folder = saving.save_folder(design_path)
        self._build_controls(initial, design_path)
        self._build_outputs()
        self.widget = self._layout()
        self._wire()
        self.refresh()

    @classmethod
    def from_path(cls, data_path: str | Path, **kwargs) -> BonusCockpit:
        """Load the dataset at ``data_path`` (folder or ``.xlsx``) and open its cockpit."""
        return cls(load_dataset(data_path), **kwargs)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _wire(self) -> None:
        for control in self.controls:
            if control not in (self.period, self.scenario):
                control.observe(self._on_control, names="value")
        # Every callback shows its own failure in the page: an exception escaping an
        # observer only reaches the kernel's log, which an owner in Voila never sees.
        self.period.observe(lambda change: self._shown(self._on_period, change), names="value")
        self.scenario.observe(lambda change: self._shown(self._on_scenario, change), names="value")
        self.pool_method.observe(self._on_method, names="value")
        self.person.observe(lambda _change: self._render_person(), names="value")
        self.tabs.observe(lambda _change: self._render_heatmap(), names="selected_index")
        self.tabs.observe(lambda _change: self._render_year(), names="selected_index")
        self.reset_button.on_click(lambda _b: self._shown(self.reset))
        self.mc_button.on_click(lambda _b: self.run_monte_carlo())
        self.save_button.on_click(lambda _b: self._on_save())
        self.save_path.observe(lambda _change: setattr(self.save_overwrite, "value", False), names="value")
        for slider, box in self.typed.items():
            box.observe(lambda change, slider=slider: self._shown(self._on_typed, slider, change), names="value")
        self._on_method({"new": self.pool_method.value})

    @contextlib.contextmanager
    def _quiet(self):
        """Change several controls without recomputing after each one."""
        self._quiet_depth += 1
        try:
            yield
        finally:
            self._quiet_depth -= 1

    # --- reacting -------------------------------------------------------------------------

    def _shown(self, action, *args) -> None:
        """Run a callback; if it fails, say so in the headline instead of the kernel's log."""
        try:
            action(*args)
        except Exception as exc:  # noqa: BLE001 - an owner must see it, not a log file
            self._show_failure(exc)

    def _show_failure(self, exc: Exception) -> None:
        """No answer: the failure in the headline, and no stale figures elsewhere."""
        self.result, self.error = None, f"Something went wrong: {exc.__class__.__name__}: {exc}"
        self.render()

    def _on_control(self, _change) -> None:
        if not self._quiet_depth:
            self.refresh()

    def _on_typed(self, slider, change) -> None:
        """A percentage typed beside a slider: understood, put on the slider, and said back."""
        text = str(change["new"]).strip()
        if not text:
            return
        try:
            value, understood = parse_percent(text)
        except ValueError as exc:
            self.typed_note.value = message_html(f"{slider.description}: {exc}")
            return
        if value > slider.max and slider is self.pool_rate:
            self.typed_note.value = message_html(f"{slider.description}: {understood}, but the pool rate is at "
                                                 "most 100%")
            return
        show_on(slider, value)
        self.typed_note.value = message_html(f"{slider.description}: {understood}.", "ok")
        self.typed[slider].value = ""

    def _on_period(self, _change) -> None:
        """A new period brings its own targets (the scenario's, when one is picked)."""
        self._load_setup(keep_plan=True)
        self._set_person_options()
        self.refresh()

    def _on_scenario(self, _change) -> None:
        """Picking a scenario loads its plan overrides and targets; Actuals the plan's."""
        self._load_setup(keep_plan=False)
        self.refresh()

    def _on_method(self, change) -> None:
        self.pool_rate.disabled = "rate" not in POOL_METHODS[change["new"]].required

    def reset(self) -> None:
        """Put every control back to the plan and the period's own targets (on actuals)."""
        with self._quiet():
            self.scenario.value = ACTUALS
        self._load_setup(keep_plan=False)
        self.refresh()

    def _load_setup(self, keep_plan: bool) -> None:
        """Set the targets (and unless ``keep_plan`` the plan controls) for the period and scenario."""
        try:
            s = self._plan_settings(self.period.value, self.scenario.value)
        except InputError:
            return  # compute() shows what is wrong with this scenario
        with self._quiet():
            self.revenue_target.value = s.revenue_target
            self.gop_target.value = s.gop_target
            if keep_plan:
                return
            show_on(self.revenue_gate, s.revenue_gate)
            show_on(self.gop_gate, s.gop_gate)
            self.pool_method.value = s.pool_method
            show_on(self.pool_rate, s.pool_rate)
            self.pool_cap.value = s.pool_cap or 0.0
            self.distribution.value = s.distribution
            show_on(self.individual_cap, s.individual_cap)

    def _plan_settings(self, period: str, scenario: str) -> CockpitSettings:
        """The plan as written for (period, scenario): its targets and the reference plan
        (worked out once per pair: the controls never change it)."""
        key = (period, scenario)
        if key not in self._as_written:
            self._as_written[key] = (self._settings_as_written(period, scenario), None)
        return self._as_written[key][0]

    def _settings_as_written(self, period: str, scenario: str) -> CockpitSettings:
        if scenario == ACTUALS:
            return settings_from_plan(self.dataset, period, self.base_plan)
        model = self._model(period, scenario)
        return replace(settings_from_plan(self.dataset, period, model.plan, scenario),
                       revenue_target=model.revenue_target, gop_target=model.gop_target)

    def changed_from_plan(self) -> bool:
        """Whether the controls differ from the plan as written (beyond their rounding)."""
        try:
            return self.settings is not None and _differs(
                self._plan_settings(self.settings.period, self.settings.scenario), self.settings)
        except InputError:
            return False

    def planned_result(self) -> BonusResult | None:
        """The bonus under the plan as written (the period's targets, the reference plan)."""
        if self.settings is None:
            return None
        try:
            key = (self.settings.period, self.settings.scenario)
            planned = self._plan_settings(*key)
            if not _differs(planned, self.settings):
                return self.result
            result = self._as_written[key][1]
            if result is None:  # computed once per (period, scenario): moving a control never changes it
                if planned.scenario == ACTUALS:
                    result = evaluate_in_year(self.dataset, planned, self.base_plan)[0]
                else:
                    model = self._model(planned.period, planned.scenario)
                    projected = scenario_bridge.projected_result(model, planned.revenue_target,
                                                                 planned.gop_target)
                    result = evaluate(self.dataset, planned, model.plan, projected,
                                      salary_factor=model.salary_factor)
                self._as_written[key] = (planned, result)
            return result
        except InputError:
            return None

    def _model(self, period: str, scenario: str):
        """The scenario engine's model of (period, scenario), built once per pair."""
        key = (period, scenario)
        if key not in self._models:
            self._models[key] = scenario_bridge.scenario_model(self.dataset, period, scenario,
                                                               self.base_plan)
        return self._models[key]

    def _reference_plan(self) -> Plan:
        """The plan the controls were loaded from: the dataset's, or the picked scenario's."""
        if self.scenario.value != ACTUALS:
            with contextlib.suppress(InputError):  # compute() shows what is wrong with it
                return self._model(self.period.value, self.scenario.value).plan
        return self.base_plan

    def current_settings(self) -> CockpitSettings:
        """The settings the controls show (0 on a gate or cap means none, see from_control)."""
        plan = self._reference_plan()
        rate = round(float(self.pool_rate.value), 6)
        if "rate" not in POOL_METHODS[self.pool_method.value].required and rate == 0 and plan.pool.rate is None:
            rate = None  # the method does not use a rate: do not add one the plan never had
        return CockpitSettings(
            period=self.period.value,
            revenue_target=float(self.revenue_target.value),
            gop_target=float(self.gop_target.value),
            revenue_gate=from_control(self.revenue_gate.value, plan.gates.revenue),
            gop_gate=from_control(self.gop_gate.value, plan.gates.gop),
            pool_method=self.pool_method.value,
            pool_rate=rate,
            pool_cap=from_control(self.pool_cap.value, plan.pool.cap),
            distribution=self.distribution.value,
            individual_cap=from_control(self.individual_cap.value, plan.distribution.individual_cap),
            scenario=self.scenario.value,
        )

    def compute(self) -> BonusResult | None:
        """Recompute the bonus from the controls; store it in ``result`` (or ``error``)."""
        self.settings = settings = self.current_settings()
        self.simulation = None
        try:
            if settings.revenue_target <= 0 or settings.gop_target <= 0:
                raise InputError.single("cockpit", "targets must be above 0", column=(
                    "Revenue target" if settings.revenue_target <= 0 else "GOP target"))
            self.year_result = None
            if settings.scenario == ACTUALS:  # with a year plan, the quarter as its year settles it
                self.result, self.year_result = evaluate_in_year(self.dataset, settings, self.base_plan)
            else:
                model = self._model(settings.period, settings.scenario)
                projected = scenario_bridge.projected_result(model, settings.revenue_target,
                                                             settings.gop_target)
                # model.plan is the plan with the scenario's overrides, including those no
                # control shows (floor, self-funding, eligibility...): the controls go on top.
                self.result = evaluate(self.dataset, settings, model.plan, projected,
                                       salary_factor=model.salary_factor)
            self.error = None
        except InputError as exc:
            self.result = self.year_result = None
            self.error = "These settings are not a valid plan:\n" + "\n".join(
                f"- {p.column or p.file}: {p.message}" for p in exc.problems)
        return self.result

    def refresh(self) -> None:
        """Recompute and redraw everything visible; errors are shown in the page."""
        self._shown(self._compute_and_render)

    def _compute_and_render(self) -> None:
        self.compute()
        self.render()

    # --- saving ---------------------------------------------------------------------------

    def save_design(self, path: str | Path | None = None, overwrite: bool | None = None) -> Path:
        """Write the current plan as a ``plan.yaml`` and check that it loads back the same.

        Parameters
        ----------
        path : str or Path, optional
            Default: the "Save as" box.
        overwrite : bool, optional
            Replace an existing file (default: the cockpit's checkbox). Without it an
            existing file is never touched.

        Raises
        ------
        FileExistsError
            When the file exists and ``overwrite`` is false.
        InputError
            When the settings are not a valid plan, or the path is not a ``.yaml`` file in the
            cockpit's folder that may be written (:func:`planning.ui.saving.design_target`).
        CannotSave
            When writing fails (no space, read-only, no permission, a name too long): one
            line naming the path; nothing is written.
        """
        if self.result is None:
            raise InputError.single("cockpit", self.error or "no valid plan to save")
        overwrite = self.save_overwrite.value if overwrite is None else overwrite
        path = saving.design_target(self.save_folder, self.save_path.value if path is None else path, overwrite)
        plan = self.result.plan
        s = self.settings
        scenario = " ".join(str(s.scenario).split())  # a comment is one line: no line breaks
        header = (f"{saving.HEADER} on {date.today().isoformat()}.\n"
                  f"# Designed on {s.period} ({scenario}) with revenue target "
                  f"{s.revenue_target:.2f} and GOP target {s.gop_target:.2f};\n"
                  "# the targets themselves live in targets.csv, not in the plan.\n")
        try:  # a design that would not load back never replaces a good file
            return plan.dump(path, header, overwrite)
        except FileExistsError:
            raise FileExistsError(saving.exists_message(path)) from None
        except OSError as exc:  # no space, read-only, no permission, a name too long
            raise saving.CannotSave(path, exc) from None

    def _on_save(self) -> None:
        try:
            path = self.save_design()
        except FileExistsError as exc:
            self.save_status.value = message_html(str(exc))
        except InputError as exc:
            self.save_status.value = message_html("\n".join(str(p) for p in exc.problems))
        except saving.CannotSave as exc:
            self.save_status.value = message_html(str(exc))
        except OSError as exc:
            self.save_status.value = message_html(f"Not saved: {exc.strerror or exc}; nothing was written.")
        except Exception as exc:  # noqa: BLE001 - shown beside the button, not in a log
            self.save_status.value = message_html(f"Not saved: {exc.__class__.__name__}: {exc}")
        else:
            self.save_status.value = message_html(f"Saved {path.resolve()} and checked that it loads back.", "ok")
            self.save_overwrite.value = False

def _differs(a: CockpitSettings, b: CockpitSettings) -> bool:
    """Whether two settings differ by more than the controls' rounding (0 and None alike)."""
    def normal(s: CockpitSettings) -> tuple:
        return tuple(round(v, 6) if isinstance(v, float) else (0.0 if v is None else v)
                     for v in vars(s).values())
    return normal(a) != normal(b)

