"""What the command line shows: its messages, the table of derivatives, and the plot.

>>> say("f = x", sys.stdout)
f = x
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import DomainError
from .expr import Expression

__all__ = ["UsageError", "plot", "print_table", "pyplot", "say"]


class UsageError(Exception):
    """Bad command-line input: exit status 2."""


def say(text: str, file: Any) -> None:
    """Print ``text``, escaping what the stream's encoding cannot show (θ on a latin-1 tty)."""
    encoding = getattr(file, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        text = text.encode("ascii", "backslashreplace").decode("ascii")
    print(text, file=file)


def print_table(text: str, variables: Sequence[str], labels: Sequence[str],
                 results: list[dict[str, Any]], validated: bool) -> None:  # fmt: skip
    header = [*variables, "f", *labels]
    if validated:
        for lab in labels:
            header += [f"mpmath {lab}", "rel err", "status"]
    rows = []
    for r in results:
        cells = [repr(v) for v in r["at"].values()] + [repr(r["f"])]
        cells += [repr(r["derivatives"][lab]) for lab in labels]
        if validated:
            for lab in labels:
                ref = r["mpmath"][lab]
                cells += [ref or "-", f"{r['rel_error'][lab]:.2e}", r["status"][lab]]
        rows.append(cells)
    widths = [max(len(h), *(len(c[i]) for c in rows)) for i, h in enumerate(header)]
    lines = [f"f = {text}"]
    for cells in (header, *rows):
        lines.append("  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
    say("\n".join(lines), sys.stdout)


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend, or None (with a message) if it is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        say(
            "dualdiff: --plot needs matplotlib, which is not installed: "
            "pip install 'dualdiff-ad[plot]'",
            sys.stderr,
        )
        return None
    return plt


def plot(plt: Any, f: Any, d: Any, expr: Expression, v: str, args: argparse.Namespace,
         results: list[dict[str, Any]], label: str) -> str:  # fmt: skip
    """Draw f and its derivative ``d`` of order --order; return the name of the file written."""
    name = args.plot
    ext = os.path.splitext(name)[1][1:].lower()
    if not ext:  # matplotlib would add ".png" itself: say so
        name, ext = name.rstrip(".") + ".png", "png"
    a, b = args.range
    xs = np.linspace(a, b, 400)
    with np.errstate(all="ignore"):
        ys = np.broadcast_to(np.asarray(f(xs), dtype=float), xs.shape)
        dys = np.broadcast_to(np.asarray(d(xs), dtype=float), xs.shape)
    if not np.isfinite(ys).any():
        raise DomainError(f"f = {expr.text} has no finite value on --range {a:g} {b:g}")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    try:
        if ext not in fig.canvas.get_supported_filetypes():
            known = ", ".join(sorted(fig.canvas.get_supported_filetypes()))
            raise UsageError(f"cannot write a plot as .{ext}: use one of {known}")
        text = expr.text if len(expr.text) <= 60 else expr.text[:57] + "..."
        ax.plot(xs, ys, label=f"f({v}) = {text}")
        ax.plot(xs, dys, label=label, linestyle="--")
        if results:
            px = [r["at"][v] for r in results]
            ax.plot(px, [r["f"] for r in results], "o", color="C0", label="--at points")
            ax.plot(px, [r["derivatives"][label] for r in results], "o", color="C1")
        ax.axhline(0, color="0.8", linewidth=0.8)
        what = "f'" if args.order == 1 else label.split("(")[0]
        ax.set_title(f"f and {what} for f({v}) = {text}")
        ax.set_xlabel(v)
        ax.set_ylabel("value")
        ax.legend()
        with warnings.catch_warnings():  # a long legend: a looser layout, not a warning
            warnings.simplefilter("ignore")
            fig.tight_layout()
        try:
            fig.savefig(name, format=ext)
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot write the plot to {name!r}: {exc}") from None
    finally:
        plt.close(fig)
    return name
