"""The build's one process pool: forked children work through shares of a list, and
what they did not finish is done by the build itself.

Used where a benchmark shows it pays (bench/README.md): making the outputs of a big
first build (`make_all`), and parsing the incident files of one (parse_cache.py).
The children are forked, so they inherit what they work on (nothing is pickled but
their results, which go only to the process that forked them).

The one failure rule: a child that fails stops and sends back what it finished; the
rest of its share (all of it, if the child died without a word) is left to the
build, which does it in its own process and so raises the real error, as a build in
one process would, or carries on if the failure was the child's alone.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from statuspage.outputs.output import Output
from statuspage.pipeline.writer import FolderWriter, Staged

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

T = TypeVar("T")
R = TypeVar("R")

# Below this many outputs to make, starting processes costs more than it saves.
PARALLEL_MIN = 400


@dataclass(frozen=True)
class Outcome(Generic[T, R]):
    """One child's share: the results it sent, and the items it did not finish."""

    done: list[R]
    rest: list[T]


class Pool(Generic[T, R]):
    """One forked child per share of *items* (each a list of indexes), each applying
    *work* to its items in order. Close it (or use it in `with`) once done."""

    def __init__(self, items: Sequence[T], work: Callable[[T], R], shares: list[list[int]]):
        self.items = items
        context = multiprocessing.get_context("fork")
        self.children: list[tuple[BaseProcess, Connection, list[int]]] = []
        for share in shares:
            receiving, sending = context.Pipe(duplex=False)
            child = context.Process(target=_work_through, args=(items, share, work, sending))
            child.daemon = True  # never outlives a build that stopped before hearing from it
            child.start()
            sending.close()
            self.children.append((child, receiving, share))

    def outcomes(self) -> Iterator[Outcome[T, R]]:
        """Each child's outcome, in the order they finish."""
        waiting = {receiving: (child, share) for child, receiving, share in self.children}
        while waiting:
            for ready in wait(list(waiting)):
                assert isinstance(ready, Connection)
                child, share = waiting.pop(ready)
                try:
                    done: list[R] = ready.recv()
                except EOFError:  # the child died without a word (killed, out of memory)
                    done = []
                child.join()
                yield Outcome(done, [self.items[i] for i in share[len(done) :]])

    def close(self) -> None:
        for child, receiving, _ in self.children:
            receiving.close()
            if child.is_alive():
                child.terminate()
            child.join()
        self.children = []

    def __enter__(self) -> Pool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _work_through(items: Sequence[Any], share: list[int], work: Callable[[Any], Any],
                  sending: Connection) -> None:  # fmt: skip
    """In a child: *work* on the items of *share*, in order, until one fails; send back
    the results of those it finished."""
    done = []
    try:
        for index in share:
            done.append(work(items[index]))
    except Exception:
        pass  # the build does the rest of the share, and raises the real error
    sending.send(done)
    sending.close()


def interleaved(count: int, shares: int, start: int = 0) -> list[list[int]]:
    """Indexes start..count-1 dealt into *shares* lists, every shares-th one to each, so
    each gets a like mix (of pages and feeds, of old and new files)."""
    return [list(range(start + n, count, shares)) for n in range(shares)]


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

    def make(item: tuple[str, Output]) -> Staged:
        rel, output = item
        data = output.make()
        budget.spend(len(data))
        return writer.put(rel, data)

    if workers < 2 or len(todo) < PARALLEL_MIN:
        yield from map(make, todo)
        return
    with Pool(todo, make, interleaved(len(todo), workers)) as pool:
        for outcome in pool.outcomes():
            yield from outcome.done
            yield from map(make, outcome.rest)  # raises what stopped the child, if anything
