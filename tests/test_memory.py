"""dualdiff.memory: the pool of NumPy blocks that the derivative passes run in.

A memory pool can only go wrong silently (a block handed out twice, a dirty block for
``np.zeros``, a block too small for the request), so these tests look at the memory itself:
data addresses, contents, the pool's counts, and the handler NumPy reports for each array.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import dualdiff as dd
from dualdiff import memory

try:
    from numpy._core.multiarray import get_handler_name
except ImportError:  # NumPy 1.x
    from numpy.core.multiarray import get_handler_name

PURE = bool(os.environ.get("DUALDIFF_PURE_PYTHON"))
compiled = pytest.mark.skipif(PURE, reason="the pool is compiled code; the pure run has none")
N = 20_000  # 160 KB of float64: a pooled size


def test_the_pool_is_built_and_in_use():
    """CI builds with a compiler; the pure-Python run uses NumPy's allocator throughout."""
    assert memory.available() is (not PURE)
    if PURE:
        assert memory.stats() == {"blocks": 0, "bytes": 0, "limit": 0, "hits": 0, "misses": 0}
        old = memory.set_limits(kept=10)  # the limits are kept (for when a pool appears)
        assert memory.set_limits(**old) == {"kept": 10, "working": old["working"]}


@pytest.fixture
def fresh():
    """An empty pool with the default limits, and the same again afterwards."""
    memory.release()
    old = memory.set_limits(kept=64 * 2**20, working=2**30)
    yield
    memory.set_limits(**old)
    memory.release()


def _address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


@compiled
def test_arrays_made_inside_use_the_pool_and_the_handler_is_put_back(fresh):
    outside = get_handler_name()
    with memory.pooled():
        assert get_handler_name() == "dualdiff_pool"
        with memory.pooled():  # nested: still the pool, and the outer block's after it
            inner = np.ones(N)
        assert get_handler_name() == "dualdiff_pool"
        a = np.ones(N)
    assert get_handler_name() == outside
    assert get_handler_name(a) == get_handler_name(inner) == "dualdiff_pool"
    assert get_handler_name(np.ones(N)) == outside


@compiled
def test_a_freed_block_is_handed_out_again_and_live_blocks_never_shared(fresh):
    with memory.pooled():
        a = np.full(N, 1.0)
        where = _address(a)
        del a
        assert memory.stats()["blocks"] == 1
        b = np.full(N, 2.0)  # same size: the kept block
        assert _address(b) == where
        c = np.full(N, 3.0)  # b is alive: a new block
        assert _address(c) != where
    assert memory.stats()["hits"] >= 1
    assert np.all(b == 2.0) and np.all(c == 3.0)


@compiled
def test_zeros_from_a_dirty_block_are_zeros(fresh):
    with memory.pooled():
        a = np.full(N, np.nan)
        where = _address(a)
        del a
        z = np.zeros(N)  # calloc: served by the dirty block, which must be cleared
    assert _address(z) == where
    assert not np.any(z)


@compiled
def test_a_block_serves_only_requests_it_can_hold(fresh):
    with memory.pooled():
        del_me = np.ones(N)
        where = _address(del_me)
        del del_me
        bigger = np.ones(N + 1)  # 8 bytes more than the kept block: not that block
        assert _address(bigger) != where
        much_smaller = np.ones(N // 2)  # would waste half the block: not that block either
        assert _address(much_smaller) != where
        near = np.ones(N - 100)  # a little smaller: the kept block
        assert _address(near) == where
    assert np.all(near == 1.0) and np.all(bigger == 1.0) and np.all(much_smaller == 1.0)


@compiled
def test_resize_in_place_keeps_the_block_size_right(fresh):
    """``ndarray.resize`` reallocates through the array's handler; the header follows."""
    with memory.pooled():
        a = np.arange(float(N))
        a.resize(4 * N, refcheck=False)
    assert np.array_equal(a[:N], np.arange(float(N))) and not np.any(a[N:])  # (NumPy's memory)
    del a
    assert memory.stats()["bytes"] == 4 * N * 8
    with memory.pooled():
        b = np.ones(4 * N)  # the grown block
    assert memory.stats()["bytes"] == 0
    assert np.all(b == 1.0)


@compiled
def test_an_array_freed_after_the_block_goes_back_to_the_pool(fresh):
    with memory.pooled():
        a = np.ones(N)
    assert memory.stats()["bytes"] == 0
    del a
    assert memory.stats() | {"hits": 0, "misses": 0} == {
        "blocks": 1, "bytes": N * 8, "limit": 64 * 2**20, "hits": 0, "misses": 0,
    }  # fmt: skip


@compiled
def test_the_limit_bounds_what_is_kept(fresh):
    memory.set_limits(kept=3 * N * 8, working=3 * N * 8)
    with memory.pooled():
        arrays = [np.ones(N) for _ in range(5)]
    del arrays
    assert memory.stats()["bytes"] == 3 * N * 8  # the oldest made room for the newest
    memory.set_limits(kept=N * 8 - 1, working=N * 8 - 1)  # a smaller limit frees at once
    assert memory.stats()["bytes"] == 0
    memory.set_limits(kept=0, working=0)
    with memory.pooled():
        a = np.ones(N)
    del a
    assert memory.stats()["blocks"] == 0


@compiled
def test_while_a_call_runs_the_working_limit_holds_and_after_it_the_kept_one(fresh):
    memory.set_limits(kept=2 * N * 8, working=10 * N * 8)
    with memory.pooled():
        with memory.pooled():  # an inner block's end is not the call's end
            arrays = [np.full(N, float(i)) for i in range(6)]
        addresses = [_address(a) for a in arrays]
        while arrays:
            arrays.pop(0)  # freed in order: the first is the oldest kept block
        assert memory.stats()["bytes"] == 6 * N * 8
        assert memory.stats()["limit"] == 10 * N * 8
    assert memory.stats()["bytes"] == 2 * N * 8 and memory.stats()["limit"] == 2 * N * 8
    with memory.pooled():
        a, b = np.empty(N), np.empty(N)
    assert {_address(a), _address(b)} == set(addresses[-2:])  # the newest two were kept


@compiled
def test_small_arrays_are_left_to_malloc(fresh):
    with memory.pooled():
        a = np.ones(100)
    del a
    assert memory.stats()["blocks"] == 0


def test_set_limits_refuses_what_is_not_a_byte_count():
    with pytest.raises(ValueError, match="set_limits: kept .*>= 0.*-1"):
        memory.set_limits(kept=-1)
    with pytest.raises(TypeError, match="set_limits: working .*1.5"):
        memory.set_limits(working=1.5)
    with pytest.raises(TypeError, match="set_limits: kept .*True"):
        memory.set_limits(kept=True)
    assert memory.limits() == {"kept": 64 * 2**20, "working": 2**30}  # nothing changed


@compiled
def test_threads_sharing_the_pool_keep_their_numbers(fresh):
    """Eight threads make, check and drop pooled arrays of two sizes, and drop each other's."""
    errors: list[str] = []
    handoff: list[np.ndarray] = []
    lock = threading.Lock()

    def work(k: int) -> None:
        with memory.pooled():
            for i in range(200):
                n = N if i % 2 else 2 * N
                a = np.full(n, float(k * 1000 + i))
                b = np.zeros(n)
                if not (np.all(a == k * 1000 + i) and not np.any(b)):
                    errors.append(f"thread {k}, step {i}")
                with lock:
                    handoff.append(a)
                    if len(handoff) > 4:
                        handoff.pop(0)  # freed here: often another thread's array

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert memory.stats()["hits"] > 0


@compiled
def test_derivative_passes_run_in_the_pool_and_give_the_same_numbers(fresh):
    """The same Jacobian with the pool keeping blocks and with it keeping none, bit for bit,
    and repeated passes served from kept blocks."""

    def F(x):
        return np.concatenate([np.sin(x[1:]) * x[:-1], [np.sum(x**2)]])

    x = np.linspace(0.1, 2.0, 3000)
    J1 = dd.jacobian(F, x, chunk=16)
    hits = memory.stats()["hits"]
    J2 = dd.jacobian(F, x, chunk=16)
    assert memory.stats()["hits"] > hits
    memory.set_limits(kept=0, working=0)
    J3 = dd.jacobian(F, x, chunk=16)
    assert np.array_equal(J1, J2) and np.array_equal(J1, J3)
    assert np.all(np.isfinite(J1))
    np.testing.assert_allclose(np.diag(J1[:-1, 1:]), np.cos(x[1:]) * x[:-1], rtol=1e-15)


def test_pure_python_run_has_no_pool():
    code = "import dualdiff.memory as m; print(m.available(), m.stats()['limit'])"
    env = dict(os.environ, DUALDIFF_PURE_PYTHON="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "0"], out.stderr


@compiled
def test_stats_while_the_collector_frees_a_pooled_array():
    """``stats()`` builds a dict, which may run the garbage collector, which may free a pooled
    array held by a cycle: the pool's lock must not be held then (it once was: a deadlock).
    In a subprocess with a timeout, so that a hang fails the test instead of the run."""
    code = """if True:
        import gc
        import numpy as np
        from dualdiff import _pool, memory

        class Cycle:
            pass

        gc.disable()
        with memory.pooled():
            c = Cycle()
            c.me = c
            c.data = np.ones(20_000)
        del c  # now only cyclic garbage
        keep = [{} for _ in range(200)]  # empty the dict free list
        _pool.stats()
        keep2 = [{} for _ in range(200)]
        gc.set_threshold(1)  # the next dict's allocation starts a collection
        gc.enable()
        _pool.stats()  # (its numbers were read before the collection)
        print(_pool.stats()["blocks"])
    """
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "1", out.stderr


@compiled
@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX")
def test_a_child_forked_while_the_pool_was_locked_uses_the_pool(fresh):
    """A fork while the pool's lock is held (by a thread freeing an array, say): the child has
    no such thread, so it must get a fresh lock (os.register_at_fork) instead of waiting on the
    inherited one forever."""
    from dualdiff import _pool

    _pool._hold_lock(True)
    try:
        pid = os.fork()
        if pid == 0:  # the child: pooled work, then out without running the parent's code
            ok = False
            try:
                with memory.pooled():
                    a = np.full(N, 2.0)
                    del a
                    b = np.zeros(N)
                ok = not b.any()
            finally:
                os._exit(0 if ok else 1)
    finally:
        _pool._hold_lock(False)
    for _ in range(200):  # up to 10 s: a child stuck on the lock fails the test
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        threading.Event().wait(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    pytest.fail("the forked child waited on the pool's lock it inherited")


@compiled
def test_set_limits_from_two_threads_leaves_one_answer(fresh):
    """Concurrent callers (one setting kept, one working) must neither lose an update nor
    leave ``limits()`` disagreeing with what the compiled pool enforces."""
    from dualdiff import _pool

    MiB = 2**20
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        bad = []
        for trial in range(300):
            memory.set_limits(kept=1 * MiB, working=8 * MiB)
            go = threading.Barrier(2)
            calls = [
                lambda: memory.set_limits(kept=4 * MiB),
                lambda: memory.set_limits(working=16 * MiB),
            ]
            threads = [threading.Thread(target=lambda c=c, g=go: (g.wait(), c())) for c in calls]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if memory.limits() != {"kept": 4 * MiB, "working": 16 * MiB} or (
                _pool.stats()["limit"] != 4 * MiB
            ):
                bad.append((trial, memory.limits(), _pool.stats()["limit"]))
    finally:
        sys.setswitchinterval(old_interval)
    assert not bad


@compiled
def test_the_compiled_exit_refuses_what_enter_did_not_give():
    from dualdiff import _pool

    token = _pool.enter()
    try:
        with pytest.raises(TypeError, match="exit.*enter"):
            _pool.exit(None)
        assert get_handler_name() == "dualdiff_pool"  # nothing changed
    finally:
        _pool.exit(token)
    assert get_handler_name() != "dualdiff_pool"


@compiled
def test_one_pooled_object_entered_twice_nested_puts_everything_back():
    outside = get_handler_name()
    p = memory.pooled()
    with p:
        with p:
            assert get_handler_name() == "dualdiff_pool"
        assert get_handler_name() == "dualdiff_pool"
        assert memory.stats()["limit"] == memory.limits()["working"]
    assert get_handler_name() == outside
    assert memory.stats()["limit"] == memory.limits()["kept"]


@compiled
def test_an_exit_without_an_enter_is_refused_and_changes_nothing():
    from dualdiff import _pool

    token = _pool.enter()
    _pool.exit(token)
    with pytest.raises(RuntimeError, match="without a matching enter"):
        _pool.exit(token)  # a second end(): the count stays at 0
    with memory.pooled():  # and the next call still gets the working limit
        assert memory.stats()["limit"] == memory.limits()["working"]
