"""Two processes redeeming the same points at the same moment: exactly one wins."""

from __future__ import annotations

import multiprocessing as mp

from shopkeep import loyalty
from shopkeep.store import Store
from tests.loyalty.conftest import add_customer


def _redeem(path, customer_id, points, barrier, results):
    with Store.open(path) as store:
        barrier.wait()
        try:
            loyalty.redeem(store, customer_id, points, note="till")
        except loyalty.NotEnoughPoints:
            results.put("refused")
        else:
            results.put("redeemed")


def test_two_processes_redeeming_the_same_points_exactly_one_wins(store, db_path):
    cid = add_customer(store)
    loyalty.add_points(store, cid, 100)
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    for _ in range(2):
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_redeem, args=(db_path, cid, 80, barrier, results)) for _ in range(2)]
        for p in procs:
            p.start()
        outcome = sorted(results.get(timeout=30) for _ in procs)
        for p in procs:
            p.join(timeout=30)
            assert p.exitcode == 0
        assert outcome == ["redeemed", "refused"]
        assert loyalty.balance(store, cid) == 20
        loyalty.add_points(store, cid, 80)  # back to 100 for the next round
    assert store.scalar("SELECT count(*) FROM loyalty_ledger WHERE reason = 'redeem'") == 2
