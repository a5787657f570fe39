"""check_finite: the first operation that turns finite inputs into inf or NaN is named."""

from __future__ import annotations

import asyncio
import contextvars
import math
import sys
import threading

import numpy as np
import pytest

import dualdiff as dd
from dualdiff import Dual, hooks
from dualdiff.dual import speedups


def test_names_the_rule_where_the_trouble_starts():
    f = dd.derivative(lambda x: dd.exp(dd.sqrt(x - 1.0)) * 2.0)
    with dd.check_finite(), pytest.raises(dd.NonFiniteError, match=r"^sqrt\(array"):
        f.prime(np.array([1.0, 2.0]))


def test_names_the_operator():
    with dd.check_finite(), pytest.raises(dd.NonFiniteError, match=r"^multiply\(1e\+308, 10"):
        dd.derivative(lambda x: x * 1e308 * 10).prime(1.0)
    with dd.check_finite(), pytest.raises(dd.NonFiniteError, match=r"^divide\(1e\+300, 1e-10"):
        dd.derivative(lambda x: (x * 1e300) / 1e-10).prime(1.0)
    with pytest.raises(OverflowError):  # a float power that overflows raises, as for floats
        dd.derivative(lambda x: 10.0**x).prime(400.0)


def test_non_finite_inputs_pass_through():
    x = Dual(math.inf, 1.0)
    with dd.check_finite():
        y = x * 2.0 + dd.exp(x)  # already inf: not where the trouble starts
    assert y.value == math.inf


def test_operators_are_restored_and_nesting_works():
    before = {n: Dual.__dict__.get(n) for n in ("__add__", "__mul__", "__pow__")}
    with dd.check_finite():
        with dd.check_finite():
            assert (Dual(1.0, 1.0) * 2.0).tangent == 2.0
        with pytest.raises(dd.NonFiniteError):  # still checking after the inner block
            Dual(1e308, 1.0) * 10.0
    assert {n: Dual.__dict__.get(n) for n in before} == before
    assert (Dual(1e308, 1.0) * 10.0).value == math.inf  # no checking outside


# --- the block is local to its context -----------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_block_left_open():
    yield
    assert hooks.active == 0, "a check_finite block was left open"
    if speedups is not None:
        assert not speedups.hooks()
    assert not hooks.CHECK.get()


def overflow() -> Dual:
    return Dual(1e308, 1.0) * 10.0  # value inf from finite inputs


def at_full_speed() -> bool:
    """Whether a float operation takes the fast path (the general rule is not called)."""
    called = []

    def profiler(frame, event, arg):
        if event == "call" and frame.f_code.co_name == "multiply":
            called.append(frame)

    sys.setprofile(profiler)
    try:
        Dual(1.0, 1.0) * 2.0
    finally:
        sys.setprofile(None)
    return not called


def test_other_threads_are_not_checked():
    """One thread inside check_finite, making infinities; two others outside, making the same
    infinities (operators and rules) at the same time: only the first one raises."""
    inside, stop = threading.Event(), threading.Event()
    raised = {"inside": 0, "outside": []}

    def checked():
        while not stop.is_set():
            with dd.check_finite():
                inside.set()
                for _ in range(20):
                    try:
                        overflow()
                    except dd.NonFiniteError:
                        raised["inside"] += 1

    def unchecked():
        inside.wait()
        for _ in range(2000):
            try:
                assert overflow().value == math.inf
                assert dd.sqrt(Dual(0.0, 1.0)).tangent == math.inf
                assert (2.0 * Dual(1e308, 0.0)).value == math.inf
            except Exception as exc:
                raised["outside"].append(repr(exc))

    threads = [threading.Thread(target=unchecked) for _ in range(2)]
    checker = threading.Thread(target=checked)
    checker.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    checker.join()
    assert raised["outside"] == []
    assert raised["inside"] >= 20


def test_while_a_block_is_open_elsewhere_this_thread_runs_unchecked():
    entered, leave = threading.Event(), threading.Event()

    def block():
        with dd.check_finite():
            entered.set()
            leave.wait()

    t = threading.Thread(target=block)
    t.start()
    entered.wait()
    try:
        assert hooks.active == 1
        assert not at_full_speed()  # the general rules run, to check the other thread
        assert overflow().value == math.inf  # but nothing here is checked
    finally:
        leave.set()
        t.join()
    assert hooks.active == 0 and at_full_speed()


def test_blocks_left_out_of_order():
    first, second = dd.check_finite(), dd.check_finite()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the outer block ends first
    with pytest.raises(dd.NonFiniteError):
        overflow()  # the second block is still open
    second.__exit__(None, None, None)
    assert hooks.active == 0
    assert not hooks.CHECK.get()
    assert overflow().value == math.inf
    assert at_full_speed()


def test_nested_blocks_and_errors_inside():
    with dd.check_finite():
        with pytest.raises(ZeroDivisionError), dd.check_finite():
            Dual(1.0, 1.0) / 0.0
        assert hooks.active == 1
        with pytest.raises(dd.NonFiniteError):
            overflow()
    assert hooks.active == 0 and at_full_speed()


def test_contexts_copied_inside_a_block_are_checked_while_it_is_open():
    before = contextvars.copy_context()
    with dd.check_finite():
        during = contextvars.copy_context()
        assert before.run(overflow).value == math.inf
        with pytest.raises(dd.NonFiniteError):
            during.run(overflow)
    with dd.check_finite():  # another block, in this context: the copy's block has ended
        assert during.run(overflow).value == math.inf
        assert before.run(overflow).value == math.inf


def test_asyncio_tasks_are_checked_only_inside_their_block():
    """Two tasks interleaved: the one inside the block raises, the other is not checked."""

    async def checked(started, release):
        with dd.check_finite():
            started.set()
            await release.wait()
            with pytest.raises(dd.NonFiniteError):
                overflow()

    async def unchecked(started, release):
        await started.wait()
        value = overflow().value  # another task, while the first one's block is open
        release.set()
        return value

    async def main():
        started, release = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(checked(started, release), unchecked(started, release))

    assert asyncio.run(main())[1] == math.inf
