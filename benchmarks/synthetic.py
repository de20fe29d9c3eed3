"""A synthetic company of any size, for benchmarks (seeded, written as a normal dataset folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEPARTMENTS = ["Sales", "Marketing", "Fulfilment", "IT", "Finance & HR"]
ROLES = ["Associate", "Senior", "Manager", "Coordinator"]


def write_company(folder: Path, staff: int = 10_000, quarters: int = 40, seed: int = 0) -> Path:
    """A dataset with ``staff`` people and ``quarters`` calendar quarters ending 2026Q4."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("plan.yaml",):
        shutil.copy(ROOT / "data" / name, folder / name)
    (folder / "company.yaml").write_text("name: Synthetic Co (fictional)\ncurrency: EUR\nfiscal_year_start_month: 1\n")
    start = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(-2000, 3800, staff), unit="D")
    leaves = rng.random(staff) < 0.3
    end = start + pd.to_timedelta(rng.integers(30, 3000, staff), unit="D")
    pd.DataFrame({
        "employee_id": [f"E{i:05d}" for i in range(staff)],
        "name": [f"Person {i}" for i in range(staff)],
        "department": rng.choice(DEPARTMENTS, staff),
        "role": rng.choice(ROLES, staff),
        "annual_salary": rng.integers(45_000, 160_000, staff),
        "fte": rng.choice([0.5, 0.6, 0.8, 1.0, 1.0, 1.0], staff),
        "start_date": start.strftime("%Y-%m-%d"),
        "end_date": np.where(leaves, end.strftime("%Y-%m-%d"), ""),
        "bonus_eligible": np.where(rng.random(staff) < 0.95, "true", "false"),
    }).to_csv(folder / "staff.csv", index=False)
    periods = [f"{y}Q{q}" for y in range(2026 - quarters // 4 + 1, 2027) for q in range(1, 5)][-quarters:]
    payroll = staff * 90_000 / 4
    rows, targets = [], []
    for p in periods:
        revenue = payroll * 4 * rng.uniform(0.95, 1.1)
        for d in DEPARTMENTS:
            share = 1.0 if d == "Sales" else 0.0
            rows.append((p, d, round(revenue * share, 2), round(revenue * 0.55 * share, 2),
                         round(revenue * 0.33 / len(DEPARTMENTS), 2)))
        targets.append((p, round(payroll * 4, 2), round(payroll * 4 * 0.11, 2)))
    pd.DataFrame(rows, columns=["period", "department", "revenue", "cogs", "opex"]).to_csv(folder / "actuals.csv", index=False)
    pd.DataFrame(targets, columns=["period", "revenue_target", "gop_target"]).to_csv(folder / "targets.csv", index=False)
    return folder
