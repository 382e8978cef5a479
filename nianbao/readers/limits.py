"""Run a reader in a child process under a wall-clock timeout and a memory ceiling.

Hostile files (Flate bombs, pathological xref tables, endless content streams) must not take the pipeline
down with them, so readers parse in a fresh child: `RLIMIT_AS` turns a runaway allocation into a
`MemoryError` (or a kill) there, and the parent kills the child when the clock runs out. The child is
started with "forkserver" (or "spawn"), never a bare fork, because the parent may hold threads and locks.
With `reuse=True` one long-lived child per ceiling serves file after file (starting a child costs ~10 ms of
CPU and more of wall clock, ~8 % of reading a text-layer PDF); it is killed and replaced on a timeout, a
death or a memory error, and retired after `REUSE_TASKS` files or once its address space passes half the
ceiling, so a file never inherits a used-up child's headroom.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")

# Reason codes this module raises itself (the child's own ReaderError reasons pass through unchanged).
PARSE_TIMEOUT = "parse_timeout"
PARSE_MEMORY = "parse_memory"
READER_ERROR = "reader_error"

_KILL_GRACE_S = 5.0
REUSE_TASKS = 200  # files one reused child reads before a fresh one replaces it (bounds library caches)
_preloaded = False


class ReaderError(Exception):
    """A file a reader refuses or cannot finish; `reason` is a quarantine reason code."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(f"{reason}: {message}" if message else reason)
        self.reason = reason
        self.message = message

    def __reduce__(self) -> tuple[type[ReaderError], tuple[str, str]]:
        # Exceptions pickle their args by default; keep (reason, message) so the parent gets the same error.
        return (type(self), (self.reason, self.message))


def exception_chain(e: BaseException) -> list[BaseException]:
    """The exception, the exceptions it wraps as arguments (pdfplumber wraps pdfminer's) and its causes."""
    out: list[BaseException] = []
    todo = [e]
    while todo and len(out) < 20:
        x = todo.pop()
        if any(x is o for o in out):
            continue
        out.append(x)
        todo += [a for a in x.args if isinstance(a, BaseException)]
        todo += [c for c in (x.__cause__, x.__context__) if c is not None]
    return out


def _context(preload: Sequence[str]) -> Any:  # a multiprocessing context (its stubs lack Process)
    """forkserver where the platform has it (cheap, thread-safe starts), else spawn.

    The fork server imports `__main__` and the reader's module once, so each child starts without
    re-importing pdfplumber and friends (the preload only counts before the server's first start).
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    global _preloaded
    if not _preloaded:
        ctx.set_forkserver_preload(["__main__", *preload])
        _preloaded = True
    return ctx


def _set_memory_limit(memory_mb: int | None) -> None:
    if memory_mb is None:
        return
    limit = int(memory_mb) * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _call(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], memory_mb: int | None
) -> tuple[Any, ...]:
    """Run in the child: ("ok", result) or ("err", reason, message)."""
    try:
        return ("ok", fn(*args, **kwargs))
    except ReaderError as e:
        return ("err", e.reason, e.message)
    except MemoryError:
        return ("err", PARSE_MEMORY, f"ran past the memory ceiling of {memory_mb} MB")
    except RecursionError as e:
        return ("err", READER_ERROR, f"RecursionError: {e}")
    except Exception as e:
        if any(isinstance(x, MemoryError) for x in exception_chain(e)):  # a library wrapped it
            return ("err", PARSE_MEMORY, f"ran past the memory ceiling of {memory_mb} MB ({e})")
        tb = traceback.format_exc(limit=6)
        return ("err", READER_ERROR, f"{type(e).__name__}: {e}\n{tb}")


def _send(conn: Connection, message: tuple[Any, ...], memory_mb: int | None, reused: bool = False) -> bool:
    """Send the message back (a reused child adds whether it is spent); False when it could not go as it was.

    A reused child is spent after a memory error (its heap may be left fragmented) or once its address
    space passes half the ceiling (freed memory glibc keeps would shrink the next file's room)."""
    spent = message[:2] == ("err", PARSE_MEMORY)
    if reused and not spent and memory_mb is not None and os.path.exists("/proc/self/statm"):
        spent = _address_space_mb() > memory_mb / 2
    try:
        conn.send((message, spent) if reused else message)
        return not spent
    except MemoryError:
        message = ("err", PARSE_MEMORY, f"the result did not fit under {memory_mb} MB")
    except Exception as e:  # an unpicklable result is a reader bug, not the file's fault
        message = ("err", READER_ERROR, f"could not send the result back: {type(e).__name__}: {e}")
    conn.send((message, True) if reused else message)
    return False


def _child(
    conn: Connection,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    memory_mb: int | None,
) -> None:
    """Child side: set the ceiling, run, send back ("ok", result) or ("err", reason, message)."""
    try:
        _set_memory_limit(memory_mb)
        _send(conn, _call(fn, args, kwargs, memory_mb), memory_mb)
    finally:
        conn.close()


def _address_space_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _serve(conn: Connection, memory_mb: int | None) -> None:
    """A reused child: run task after task until EOF, or until an answer says it is spent."""
    try:
        _set_memory_limit(memory_mb)
        while True:
            try:
                fn, args, kwargs = conn.recv()
            except (EOFError, OSError):
                return
            if not _send(conn, _call(fn, args, kwargs, memory_mb), memory_mb, reused=True):
                return
    finally:
        conn.close()


def _stop(proc: multiprocessing.process.BaseProcess, grace_s: float = 0.0) -> None:
    """Let the child exit by itself for `grace_s`, then kill it; always reap it."""
    if grace_s:
        proc.join(grace_s)
    if proc.is_alive():
        proc.kill()
    proc.join(_KILL_GRACE_S)


@dataclass
class _Reused:
    """A long-lived child and the parent's end of its duplex pipe."""

    proc: multiprocessing.process.BaseProcess
    conn: Connection
    tasks: int = 0


_reused: dict[int | None, _Reused] = {}  # idle reused children by memory ceiling
_reused_lock = threading.Lock()


def _answer(conn: Connection, proc: multiprocessing.process.BaseProcess, timeout_s: float) -> Any:
    """The child's answer within `timeout_s`, or the ReaderError saying why there is none."""
    ready = False
    try:
        ready = conn.poll(max(0.0, timeout_s))
        message = conn.recv() if ready else None
    except (EOFError, OSError):
        message = None
    if message is not None:
        return message
    if not ready:
        _stop(proc)
        raise ReaderError(PARSE_TIMEOUT, f"no result after {timeout_s:g} s")
    proc.join(_KILL_GRACE_S)
    code = proc.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        raise ReaderError(PARSE_MEMORY, f"the reader process was killed by {name}")
    raise ReaderError(READER_ERROR, f"the reader process exited with code {code} and no result")


def _start_reused(ctx: Any, memory_mb: int | None) -> _Reused:
    conn, child_conn = ctx.Pipe()
    proc = ctx.Process(target=_serve, args=(child_conn, memory_mb), daemon=True)
    proc.start()
    child_conn.close()  # the child holds the only other end: EOF here means it died
    return _Reused(proc, conn)


def _retire(worker: _Reused) -> None:
    worker.conn.close()  # EOF: the child leaves by itself
    _stop(worker.proc, grace_s=1.0)


def _run_reused(
    ctx: Any,
    task: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]],
    timeout_s: float,
    memory_mb: int | None,
) -> tuple[Any, ...]:
    """One task on the idle reused child for this ceiling (a fresh one when none is idle, e.g. another
    thread holds it); the child goes back to idle only when it answered and is not spent or used up."""
    with _reused_lock:
        worker = _reused.pop(memory_mb, None)
    for attempt in (1, 2):
        worker = worker or _start_reused(ctx, memory_mb)
        try:
            worker.conn.send(task)
            break
        except OSError:  # the idle child died between files (not this file's doing): a fresh one
            _retire(worker)
            worker = None
            if attempt == 2:
                raise
        except BaseException:  # the task does not pickle: the caller's bug
            _retire(worker)
            raise
    assert worker is not None
    keep = False
    try:
        message, spent = _answer(worker.conn, worker.proc, timeout_s)
        worker.tasks += 1
        keep = not spent and worker.tasks < REUSE_TASKS
    finally:
        with _reused_lock:
            if keep and memory_mb not in _reused:
                _reused[memory_mb] = worker
                worker = None
        if worker is not None:
            _retire(worker)
    return message


def run_limited(
    fn: Callable[..., T],
    *args: Any,
    timeout_s: float = 60.0,
    memory_mb: int | None = 1024,
    preload: Sequence[str] = (),
    reuse: bool = False,
    **kwargs: Any,
) -> T:
    """Run `fn(*args, **kwargs)` in a child process and return its result.

    `fn`, its arguments and its result must be picklable (`fn` a module-level function). Raises
    `ReaderError` with `parse_timeout` after `timeout_s` seconds of wall clock, `parse_memory` when the
    child hits `memory_mb` of address space (MemoryError) or is killed by a signal, the child's own
    reason when it raised `ReaderError`, and `reader_error` for any other exception. `preload` names
    modules the fork server imports once (honoured only before the server's first start). `reuse` runs
    it on a long-lived child (see the module's docstring) instead of a fresh one.
    """
    module = getattr(fn, "__module__", None)
    ctx = _context([*([module] if module and module != "__main__" else []), *preload])
    if reuse:
        message = _run_reused(ctx, (fn, args, kwargs), timeout_s, memory_mb)
    else:
        recv_conn, send_conn = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(send_conn, fn, args, kwargs, memory_mb), daemon=True)
        proc.start()
        send_conn.close()  # the child holds the only sending end: EOF here means it died
        try:
            message = _answer(recv_conn, proc, timeout_s)
        finally:
            recv_conn.close()
            _stop(proc, grace_s=1.0)
    if message[0] == "ok":
        return message[1]
    raise ReaderError(message[1], message[2])
