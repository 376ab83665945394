"""Which saves start a rebuild: the watchdog handler and what it watches."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.api import BaseObserver

IGNORED_NAMES = {"_site", "__pycache__", "node_modules"}
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")


class Watched(Protocol):
    """What the handler needs of the preview: its folder, and the flag a change raises."""

    @property
    def source(self) -> Path: ...

    def changed_files(self) -> None: ...


def is_relevant(path: str, source: Path) -> bool:
    """Changes to content, config and templates count; git, editors' temp files, output do not."""
    try:
        parts = Path(path).resolve().relative_to(source.resolve()).parts
    except ValueError:
        return False
    if not parts:
        return False
    if any(p.startswith(".") or p in IGNORED_NAMES for p in parts):
        return False
    return not parts[-1].endswith(IGNORED_SUFFIXES)


class ChangeHandler(FileSystemEventHandler):
    """Marks the preview dirty on a relevant change; watches new top-level folders too."""

    def __init__(self, preview: Watched, observer: BaseObserver | None = None) -> None:
        self.preview = preview
        self.observer = observer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # the file inside it reports its own change
        paths = [
            p if isinstance(p, str) else p.decode() for p in (event.src_path, event.dest_path) if p
        ]
        if (
            event.is_directory
            and event.event_type in ("created", "moved")
            and self.observer is not None
        ):
            for path in paths:  # a new top-level folder (site-templates/, say): watch inside it too
                if Path(path).parent.resolve() == self.preview.source.resolve() and is_relevant(
                    path, self.preview.source
                ):
                    self.observer.schedule(self, path, recursive=True)
        if any(is_relevant(p, self.preview.source) for p in paths):
            self.preview.changed_files()


def watch(observer: BaseObserver, handler: ChangeHandler, source: Path) -> None:
    """Watch what a build reads, and not the rest: the site folder itself, and inside
    each of its folders but the output, hidden ones and the like. A recursive watch of
    the whole folder would put an inotify watch on each of the output's thousands of
    folders, overflow the kernel's event queue on every build, and miss the very save
    it is there for."""
    observer.schedule(handler, str(source), recursive=False)
    for child in sorted(source.iterdir()):
        if child.is_dir() and is_relevant(str(child), source):
            observer.schedule(handler, str(child), recursive=True)
