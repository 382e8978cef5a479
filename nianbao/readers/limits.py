"""Run a reader in a child process under a wall-clock timeout and a memory ceiling.

Hostile files (Flate bombs, pathological xref tables, endless content streams) must not take the pipeline
down with them, so readers parse in a fresh child: `RLIMIT_AS` turns a runaway allocation into a
`MemoryError` (or a kill) there, and the parent kills the child when the clock runs out. The child is
started with "forkserver" (or "spawn"), never a bare fork, because the parent may hold threads and locks.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import time
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")

# Reason codes this module raises itself (the child's own ReaderError reasons pass through unchanged).
PARSE_TIMEOUT = "parse_timeout"
PARSE_MEMORY = "parse_memory"
READER_ERROR = "reader_error"

_KILL_GRACE_S = 5.0
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


def _child(
    conn: Connection,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    memory_mb: int | None,
) -> None:
    """Child side: set the ceiling, run, send back ("ok", result) or ("err", reason, message)."""
    try:
        try:
            _set_memory_limit(memory_mb)
            result = fn(*args, **kwargs)
            message: tuple[Any, ...] = ("ok", result)
        except ReaderError as e:
            message = ("err", e.reason, e.message)
        except MemoryError:
            message = ("err", PARSE_MEMORY, f"ran past the memory ceiling of {memory_mb} MB")
        except RecursionError as e:
            message = ("err", READER_ERROR, f"RecursionError: {e}")
        except Exception as e:
            if any(isinstance(x, MemoryError) for x in exception_chain(e)):  # a library wrapped it
                message = ("err", PARSE_MEMORY, f"ran past the memory ceiling of {memory_mb} MB ({e})")
            else:
                tb = traceback.format_exc(limit=6)
                message = ("err", READER_ERROR, f"{type(e).__name__}: {e}\n{tb}")
        try:
            conn.send(message)
        except MemoryError:
            conn.send(("err", PARSE_MEMORY, f"the result did not fit under {memory_mb} MB"))
        except Exception as e:  # an unpicklable result is a reader bug, not the file's fault
            conn.send(("err", READER_ERROR, f"could not send the result back: {type(e).__name__}: {e}"))
    finally:
        conn.close()


def _stop(proc: multiprocessing.process.BaseProcess, grace_s: float = 0.0) -> None:
    """Let the child exit by itself for `grace_s`, then kill it; always reap it."""
    if grace_s:
        proc.join(grace_s)
    if proc.is_alive():
        proc.kill()
    proc.join(_KILL_GRACE_S)


def run_limited(
    fn: Callable[..., T],
    *args: Any,
    timeout_s: float = 60.0,
    memory_mb: int | None = 1024,
    preload: Sequence[str] = (),
    **kwargs: Any,
) -> T:
    """Run `fn(*args, **kwargs)` in a child process and return its result.

    `fn`, its arguments and its result must be picklable (`fn` a module-level function). Raises
    `ReaderError` with `parse_timeout` after `timeout_s` seconds of wall clock, `parse_memory` when the
    child hits `memory_mb` of address space (MemoryError) or is killed by a signal, the child's own
    reason when it raised `ReaderError`, and `reader_error` for any other exception. `preload` names
    modules the fork server imports once (honoured only before the server's first start).
    """
    module = getattr(fn, "__module__", None)
    ctx = _context([*([module] if module and module != "__main__" else []), *preload])
    recv_conn, send_conn = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send_conn, fn, args, kwargs, memory_mb), daemon=True)
    proc.start()
    send_conn.close()  # the child holds the only sending end: EOF here means it died
    deadline = time.monotonic() + timeout_s
    ready = False
    try:
        try:
            ready = recv_conn.poll(max(0.0, deadline - time.monotonic()))
            message = recv_conn.recv() if ready else None
        except (EOFError, OSError):
            message = None
        if message is None:
            if not ready:
                _stop(proc)
                raise ReaderError(PARSE_TIMEOUT, f"no result after {timeout_s:g} s")
            proc.join(_KILL_GRACE_S)
            code = proc.exitcode
            if code is not None and code < 0:
                name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
                raise ReaderError(PARSE_MEMORY, f"the reader process was killed by {name}")
            raise ReaderError(READER_ERROR, f"the reader process exited with code {code} and no result")
    finally:
        recv_conn.close()
        _stop(proc, grace_s=1.0)
    if message[0] == "ok":
        return message[1]
    raise ReaderError(message[1], message[2])
