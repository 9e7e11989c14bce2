"""How long work reports how far it got, and how it learns that a person wants it to stop."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, str], None]  # percent done, what is happening


def cancellable(progress: Progress | None, cancelled: Callable[[], bool],
                stop: type[Exception]) -> Progress:
    """A progress callback that raises `stop` at the next step once `cancelled()` is true,
    so the work ends where it is safe to and cleans up after itself."""
    step = progress or (lambda percent, what: None)

    def check(percent: int, what: str) -> None:
        if cancelled():
            raise stop
        step(percent, what)

    return check
