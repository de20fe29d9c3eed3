"""Scale-out on a real dask.distributed cluster: two worker processes, identical results.

Starting a LocalCluster takes a few seconds, so the cluster is shared by the module's tests.
"""

from __future__ import annotations

import numpy as np
import pytest

from planning.montecarlo import BLOCK, simulate
from planning.scenarios import sweep

distributed = pytest.importorskip("distributed")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def dask_executor():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=50) as cluster, \
            distributed.Client(cluster) as client:
        yield client.get_executor()


def test_monte_carlo_on_two_dask_workers_equals_one_process(sample, dask_executor):
    draws = 4 * BLOCK + 77
    local = simulate(sample, "2027Q1", "base", draws=draws, seed=2026)
    remote = simulate(sample, "2027Q1", "base", draws=draws, seed=2026, executor=dask_executor,
                      chunk_size=BLOCK)
    assert remote.to_dict() == local.to_dict()
    assert np.array_equal(remote.pools, local.pools)


def test_sweep_on_dask_equals_in_process(sample, dask_executor):
    grid = {"leads": np.linspace(-0.3, 0.3, 13), "gates.gop": [0.9, 0.95, 1.0]}
    assert sweep(sample, "2026Q3", grid, executor=dask_executor).equals(sweep(sample, "2026Q3", grid))
