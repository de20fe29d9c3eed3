"""Plan validation: the same clear-error contract as the dataset."""

import pytest
import yaml

from planning import InputError, load_plan, parse_plan, plan_to_dict, with_overrides
from tests.conftest import ROOT


def problems(data):
    with pytest.raises(InputError) as exc:
        parse_plan(data)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize(("data", "expected"), [
    ({"pool": {"method": "profit_share", "rate": 0.3}},
     "plan.yaml, key pool.method: unknown method 'profit_share'; expected one of: excess_gop_share, gop_share, payout_curve"),
    ({"pool": {"rate": 1.5}}, "plan.yaml, key pool.rate: 1.5 is out of range; expected a share from 0 to 1, like 0.30"),
    ({"pool": {"rate": 30}}, "plan.yaml, key pool.rate: 30 is out of range; expected a share from 0 to 1, like 0.30; 30 looks like a percentage: write 0.3 for 30%"),
    ({"pool": {"rate": -0.1}}, "plan.yaml, key pool.rate: -0.1 is out of range"),
    ({"pool": {"rate": "high"}}, "plan.yaml, key pool.rate: 'high' is not a number"),
    ({"gates": {"gop": 95}, "pool": {"rate": 0.3}}, "plan.yaml, key gates.gop: 95 is out of range; expected an attainment from 0 to 2, like 0.95 for 95%; 95 looks like a percentage: write 0.95 for 95%"),
    ({"pool": {"method": "payout_curve", "target_pool": 1000, "curve": [[1.0, 1.0], [0.9, 0.5]]}},
     "plan.yaml, key pool.curve[1]: attainment 0.9 is not above the previous point's 1; expected the curve's attainments to increase"),
    ({"pool": {"method": "payout_curve", "target_pool": 1000, "curve": [[1.0, "x"]]}},
     "plan.yaml, key pool.curve[0]: [1.0, 'x'] is not an [attainment, multiple] pair of numbers"),
    ({"pool": {"method": "payout_curve", "curve": [[1.0, 1.0]]}},
     "plan.yaml, key pool.target_pool: is required for method payout_curve"),
    ({"pool": {"method": "excess_gop_share"}}, "plan.yaml, key pool.rate: is required for method excess_gop_share"),
    ({"pool": {"rate": 0.3, "cap": -5}}, "plan.yaml, key pool.cap: -5 is out of range; expected an amount of 0 or more"),
    ({"pool": {"rate": 0.3, "floor": 100, "cap": 50}}, "plan.yaml, key pool.floor: 100 is above pool.cap 50"),
    ({"pool": {"rate": 0.3, "self_fundig": True}}, "plan.yaml, key pool.self_fundig: unknown key"),
    ({"pool": {"rate": 0.3, "metric": "ebitda"}}, "plan.yaml, key pool.metric: unknown metric 'ebitda'"),
    ({"pool": {"rate": 0.3}, "distribution": {"individual_cap": -0.1}},
     "plan.yaml, key distribution.individual_cap: -0.1 is out of range"),
    ({"pool": {"method": "payout_curve", "target_pool": 1000, "metric": {}, "curve": [[1.0, 1.0]]}},
     "plan.yaml, key pool.metric: is an empty blend; expected revenue, gop or a blend"),
    ({"pool": {"rate": 0.3}, "distribution": {"individual_cap": 25}},
     "plan.yaml, key distribution.individual_cap: 25 is out of range; expected a fraction from 0 to 1 of the "
     "person's salary for the period, like 0.25; 25 looks like a percentage: write 0.25 for 25%"),
    ({"pool": {"rate": 0.3}, "distribution": {"method": "seniority"}},
     "plan.yaml, key distribution.method: unknown method 'seniority'; expected one of: equal, salary, points"),
    ({"pool": {"rate": 0.3}, "distribution": {"method": "points"}},
     "plan.yaml, key distribution.points: is required for method points"),
    ({"pool": {"rate": 0.3}, "distribution": {"points": {"Manager": -1}}},
     "plan.yaml, key distribution.points.Manager: -1 is out of range"),
    ({"pool": {"rate": 0.3}, "distribution": {"min_days_in_period": 2.5}},
     "plan.yaml, key distribution.min_days_in_period: 2.5 is not a whole number of days"),
    ({"pool": {"rate": 0.3}, "distribution": {"require_employed_at_period_end": "yes"}},
     "plan.yaml, key distribution.require_employed_at_period_end: 'yes' is not true or false"),
    (["not", "a", "mapping"], "plan.yaml: must be a mapping"),
])
def test_bad_plans(data, expected):
    lines = problems(data)
    assert any(line.startswith(expected) for line in lines), lines


def test_every_problem_is_reported():
    lines = problems({"gates": {"gop": 100}, "pool": {"method": "x", "rate": 3}, "distribution": {"individual_cap": -1}})
    assert len(lines) == 4


def test_sample_plan_round_trips(tmp_path):
    plan = load_plan(ROOT / "data" / "plan.yaml")
    again = parse_plan(yaml.safe_load(yaml.safe_dump(plan_to_dict(plan))))
    assert again == plan


def test_overrides_are_validated():
    plan = load_plan(ROOT / "data" / "plan.yaml")
    assert with_overrides(plan, {"gates.gop": 0.95}).gates.gop == 0.95
    with pytest.raises(InputError, match="gates.gop: 95 is out of range"):
        with_overrides(plan, {"gates.gop": 95})


def test_defaults_where_the_contract_is_silent():
    plan = parse_plan({"pool": {"rate": 0.3}})
    assert plan.gates.revenue is None and plan.pool.self_funding and plan.pool.floor == 0
    assert plan.distribution.method == "salary" and plan.distribution.require_employed_at_period_end


def test_a_key_written_twice_is_refused_with_its_line(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("pool:\n  rate: 0.3\n  method: excess_gop_share\n  rate: 0.4\n")
    with pytest.raises(InputError) as exc:
        load_plan(path)
    assert [str(p) for p in exc.value.problems] == [
        "plan.yaml, line 4: key 'rate' is written twice (also on line 2); expected each key once, "
        "since only one value can count"]
    path.write_text("pool: {rate: 0.3, rate: 0.4}\n")
    with pytest.raises(InputError, match="line 1: key 'rate' is written twice .earlier on the same line."):
        load_plan(path)
    # a merge may still be overridden
    path.write_text("base: &b {rate: 0.3, method: gop_share}\npool:\n  <<: *b\n  rate: 0.2\n")
    from planning.yaml_files import read_yaml

    assert read_yaml(path)["pool"] == {"rate": 0.2, "method": "gop_share"}


def test_a_plan_that_is_a_folder_is_one_line(tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(InputError, match="^folder.yaml: cannot be read"):
        load_plan(tmp_path / "folder.yaml")


def test_a_huge_integer_is_one_line():
    lines = problems({"pool": {"rate": 0.3, "cap": 10**400}})
    assert lines == ["plan.yaml, key pool.cap: a 401-digit number is too large; expected an amount of 0 or more, "
                     "or null for no cap"]
    assert problems({"pool": {"method": "payout_curve", "target_pool": 1, "curve": [[10**400, 1]]}})[0].startswith(
        "plan.yaml, key pool.curve[0]:")


def test_a_number_yaml_reads_as_text_gets_a_hint():
    lines = problems({"pool": {"rate": "3e-1"}})
    assert lines == ["plan.yaml, key pool.rate: '3e-1' is not a number (YAML reads 3e-1 as text, not a "
                     "number: write 0.3); expected a share from 0 to 1, like 0.30"]
