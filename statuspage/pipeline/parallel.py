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


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def make_all(
    todo: list[tuple[str, Output]], writer: FolderWriter, workers: int
) -> Iterator[Staged]:
    """Make and stage every output of *todo*, in *workers* processes when it is worth it."""
    if workers < 2 or len(todo) < PARALLEL_MIN:
        for rel, output in todo:
            yield writer.put(rel, output.make())
        return
    context = multiprocessing.get_context("fork")
    children = []
    for number in range(workers):
        receiving, sending = context.Pipe(duplex=False)
        # Every workers-th output, so each child gets a like mix of pages and feeds.
        share = list(range(number, len(todo), workers))
        child = context.Process(target=_make_share, args=(todo, share, writer, sending))
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
    todo: list[tuple[str, Output]], share: list[int], writer: FolderWriter, sending: Connection
) -> None:
    """In a child: make and stage the outputs *share* names; send back what was staged, or
    the index of the one that failed (the parent makes it again, raising the real error)."""
    results: list[Staged] = []
    for index in share:
        rel, output = todo[index]
        try:
            results.append(writer.put(rel, output.make()))
        except Exception:
            sending.send(index)
            return
    sending.send(results)
