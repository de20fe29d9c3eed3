"""The owner's look ahead: next quarter's odds from the seeded Monte Carlo of the base
scenario, and which drivers move the pool most. Both return nothing for the staff."""

from __future__ import annotations

from planning import charts
from planning.errors import InputError
from planning.money import format_percent
from planning.reporting.content.base import CHART_WIDTH as W
from planning.reporting.content.base import ReportBase
from planning.reporting.content.markup import Chart, Markup, esc, html_table, paragraphs, section

__all__ = ["OutlookSections"]


class OutlookSections(ReportBase):
    """Next quarter's odds and the pool's sensitivity to each driver (owner only)."""

    def _outlook_scenario(self):
        """The base scenario projected from this quarter, and a note on the targets used."""
        from planning.scenarios import projected_from

        nxt, scenario, borrowed = projected_from(self.dataset, self.period)
        note = (f"There are no targets for {nxt.long_label} yet, so the odds are measured against this "
                "quarter's targets.") if borrowed else ""
        return nxt, scenario, note

    def simulate_command(self, nxt) -> str:
        """The command that prints this outlook's numbers (run beside the dataset folder)."""
        plan = f" --plan {self.plan_name}" if self.plan_path else ""
        return (f"planning simulate --data {self.dataset_name} --period {nxt} --base-period {self.label} "
                f"--scenario base --draws {self.draws} --seed {self.seed}{plan}")

    def outlook(self) -> list:
        """Owner: next quarter's odds from the seeded Monte Carlo of the base scenario."""
        if not self.is_owner:
            return []
        from planning.montecarlo import simulate

        title = "Next quarter's odds"
        try:
            nxt, scenario, note = self._outlook_scenario()
            mc = simulate(self.dataset, nxt, scenario, draws=self.draws, seed=self.seed, plan=self.plan)
        except InputError as exc:
            return [section(title, paragraphs(["The outlook could not be computed from this quarter:"]
                                                + [str(p) for p in exc.problems], "pl-note"), anchor="outlook")]
        has_file = self.dataset.scenarios is not None
        start = (f"{self.label} with the changes of the base scenario in scenarios.yaml" if scenario.drivers
                 else f"{self.label} as it was")
        if scenario.uncertainty:
            lines = [f"If {nxt.long_label} starts from {start}, with the ups and downs the base scenario in "
                     f"scenarios.yaml allows, the bonus pays in {format_percent(mc.p_pays)} of {mc.draws:,} "
                     "simulated quarters.",
                     f"Drivers that vary: {', '.join(_driver_label(d) for d in sorted(scenario.uncertainty))}. "
                     f"Seed {mc.seed}: the same seed always gives the same odds."]
        else:
            where = ("the base scenario in scenarios.yaml says nothing about how a quarter can vary" if has_file
                     else "this dataset has no scenarios.yaml to say how a quarter can vary")
            verdict = ("the bonus would pay" if mc.p_pays >= 1 else "the bonus would not pay" if mc.p_pays <= 0
                       else f"the bonus pays in {format_percent(mc.p_pays)} of the simulated quarters")
            lines = [f"This is a projection, not odds: {where}, so every simulated quarter is {nxt.long_label} starting "
                     f"from {start}, and {verdict}.",
                     "To see real odds, give the base scenario an uncertainty for its drivers in scenarios.yaml "
                     "(see docs/scenarios.md)."]
        if note:
            lines.append(note)
        rows = [["Revenue gate passes", format_percent(mc.p_revenue_gate)],
                ["GOP gate passes", format_percent(mc.p_gop_gate)],
                ["Both pass (the bonus pays)", format_percent(mc.p_gates_passed)],
                ["Expected pool (the average, counting quarters that pay nothing)", self.money(mc.expected_pool)],
                ["P10: 1 in 10 quarters pay less than", self.money(mc.pool_p10)],
                ["P50: the median, half pay less", self.money(mc.pool_p50)],
                ["P90: 1 in 10 quarters pay more than", self.money(mc.pool_p90)],
                ["Expected GOP after the bonus", self.money(mc.expected_gop_after_bonus)]]
        command = Markup(f'<p class="pl-command">To get these numbers yourself: <code>'
                         f'{esc(self.simulate_command(nxt))}</code> (run in the folder that holds '
                         f'{esc(self.dataset_name)}); the same seed and draws always print the same odds.</p>')
        return [
            section(f"{title}: {nxt.long_label}", paragraphs(lines),
                    html_table(None, rows, numeric={1}, cls="pl-table pl-kv"), command,
                    self.explain("scenario", "driver", "simulated quarters", "seed", "draws", "P10, P50, P90",
                                 "expected pool"), anchor="outlook"),
            Chart(lambda: charts.pool_distribution(mc.pools, self.currency, mc.p_pays, figsize=(W, 3.2)),
                  f"Simulated bonus pools for {nxt}", key=(self.fingerprint, self.label, "outlook", self.seed,
                                                          self.draws) if self.fingerprint else None),
        ]

    def sensitivity(self) -> list:
        """Owner: which drivers move next quarter's pool most (a tornado, each driver +-10%)."""
        if not self.is_owner:
            return []
        from planning.scenarios import DRIVERS, sensitivity

        title = "What moves next quarter's pool"
        try:
            nxt, scenario, _ = self._outlook_scenario()
            table = sensitivity(self.dataset, nxt, scenario, change=0.1, output="pool", plan=self.plan)
        except InputError as exc:
            return [section(title, paragraphs(["The sensitivity could not be computed:"]
                                                + [str(p) for p in exc.problems], "pl-note"), anchor="sensitivity")]
        labels = {name: d.label for name, d in DRIVERS.items()}
        rows = [[labels.get(str(d), str(d)), self.num(r.low), self.num(r.high), self.num(r.swing)]
                for d, r in table.iterrows()]
        base = float(table["base"].iloc[0]) if len(table) else 0.0
        lines = [f"Each driver moved 10% down and up from the base projection for {nxt.long_label} (rates such "
                 f"as the gross margin by 10% of their value), everything else unchanged. The base projection's "
                 f"pool is {self.money(base)}. In the chart a bar is green where the move raises the pool and "
                 "red where it lowers it, whichever way the driver moved."]
        if len(table) and table["swing"].iloc[0] > 0:
            lines.append(f"The pool depends most on {labels.get(str(table.index[0]), table.index[0])}.")
        cur = f" ({self.currency})"
        return [
            section(title, paragraphs(lines), html_table(["driver", "pool, driver down" + cur, "pool, driver up" + cur,
                                                            "swing" + cur], rows, numeric={1, 2, 3}),
                    self.explain("driver", "swing"), anchor="sensitivity"),
            self.chart("tornado", lambda: charts.tornado_chart(table, labels, self.currency, figsize=(W, 3.2)),
                       f"Tornado: the pool for {nxt} with each driver 10% down and up"),
        ]


def _driver_label(name: str) -> str:
    from planning.scenarios import DRIVERS

    return DRIVERS[name].label if name in DRIVERS else str(name)
