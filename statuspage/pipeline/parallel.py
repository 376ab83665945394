"""Making many outputs at once: a first build of a big site makes them in a process per core.

The children are forked, so they inherit the outputs to make and the writer that
stages them (nothing is pickled); each sends back only what it staged.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait

from statuspage.outputs.output import Output
from statuspage.pipeline.writer import FolderWriter

# Below this many outputs to make, starting processes costs more than it saves.
PARALLEL_MIN = 400

Staged = tuple[str, str, bool]  # (path, digest, changed)
_OVER = -1  # what a child sends when the bytes made have passed the budget


class OverBudget(Exception):
    """The outputs hold more bytes than the site may write: counted so far, or *estimate*d."""

    def __init__(self, estimate: int | None = None) -> None:
        super().__init__(estimate)
        self.estimate = estimate


class ByteBudget:
    """The bytes the outputs still to make may take, in all; shared with forked children
    (a counter in shared memory), so the build stops at the budget, not a share of it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        # Shared memory, inherited by the forked children; any platform can make one.
        self.spent = multiprocessing.Value("q", 0)

    def spend(self, size: int) -> None:
        """Count *size* bytes made; OverBudget once the total passes the limit."""
        with self.spent.get_lock():
            self.spent.value += size
            if self.spent.value > self.limit:
                raise OverBudget


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def make_all(
    todo: list[tuple[str, Output]], writer: FolderWriter, workers: int, budget: ByteBudget
) -> Iterator[Staged]:
    """Make and stage every output of *todo*, in *workers* processes when it is worth it;
    OverBudget (before staging the output that passes it) once they outgrow *budget*."""
    if workers < 2 or len(todo) < PARALLEL_MIN:
        for rel, output in todo:
            data = output.make()
            budget.spend(len(data))
            yield writer.put(rel, data)
        return
    context = multiprocessing.get_context("fork")
    children = []
    for number in range(workers):
        receiving, sending = context.Pipe(duplex=False)
        # Every workers-th output, so each child gets a like mix of pages and feeds.
        share = list(range(number, len(todo), workers))
        child = context.Process(target=_make_share, args=(todo, share, writer, budget, sending))
        child.start()
        sending.close()
        children.append((child, receiving))
    try:
        waiting = {receiving: child for child, receiving in children}
        while waiting:
            for ready in wait(list(waiting)):
                assert isinstance(ready, Connection)
                try:
                    result = ready.recv()
                except EOFError:  # the child died without a word (killed, out of memory)
                    raise RuntimeError("a worker process died while making outputs") from None
                waiting.pop(ready).join()
                if result == _OVER:
                    raise OverBudget
                if isinstance(result, int):
                    rel, output = todo[result]
                    output.make()  # raises as it did in the child
                    raise RuntimeError(f"making {rel} failed in a worker process")
                yield from result
    finally:
        for child, receiving in children:
            receiving.close()
            if child.is_alive():
                child.terminate()
            child.join()


def _make_share(
    todo: list[tuple[str, Output]],
    share: list[int],
    writer: FolderWriter,
    budget: ByteBudget,
    sending: Connection,
) -> None:
    """In a child: make and stage the outputs *share* names; send back what was staged, or
    the index of the one that failed (the parent makes it again, raising the real error),
    or _OVER once all the children together have made more than *budget*."""
    results: list[Staged] = []
    for index in share:
        rel, output = todo[index]
        try:
            data = output.make()
            budget.spend(len(data))
            results.append(writer.put(rel, data))
        except OverBudget:
            sending.send(_OVER)
            return
        except Exception:
            sending.send(index)
            return
    sending.send(results)
