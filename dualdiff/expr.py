"""A whitelist parser for the command line's expressions.

Python's ``ast`` parses the text; only numbers, variable names (letters and digits, in any
script: ``x``, ``x1``, ``θ``), the rule table's functions (``dualdiff.FUNCTIONS``), the constants
``pi`` (also ``π``) and ``e``, ``+ - * / **``, unary minus and parentheses are accepted.
Nothing is ever passed to ``eval``, ``exec`` or ``compile``-to-code: the tree is walked and each
node is applied by hand. Every number is a float, so a power of
constants such as ``9**9**9**9`` overflows at once instead of building a huge integer; length,
nesting depth and the number of nodes are bounded.

>>> e = parse("x**2 * sin(x) + y")
>>> e.variables
('x', 'y')
>>> e(2.0, 1.0) == 4 * math.sin(2.0) + 1
True
>>> parse("sin(θ) * r").variables
('r', 'θ')

A value outside a function's domain raises :class:`~dualdiff.DomainError` naming the function
as written (``log``, not ``ln``; ``asin``, not ``arcsin``).
"""

from __future__ import annotations

import ast
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import rules
from .arithmetic import pow_value
from .dual import fmt
from .errors import DomainError, ZeroDivisionDomainError
from .kinds import base_value

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "MAX_NODES", "Expression", "ExpressionError", "parse"]

MAX_LENGTH = 2000
MAX_DEPTH = 40
MAX_NODES = 400
CONSTANTS = {"pi": math.pi, "π": math.pi, "e": math.e}


def _is_variable(name: str) -> bool:
    """Letters and digits of any script (and their combining marks), starting with a letter."""
    return name[:1].isalpha() and all(unicodedata.category(c)[0] in "LMN" for c in name)


def _divide(a: Any, b: Any) -> Any:
    try:
        return a / b
    except ZeroDivisionError:  # plain floats: the same error a Dual gives
        raise ZeroDivisionDomainError(f"division x / y needs y != 0, got y = {b!r}") from None


_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: _divide,
    ast.Pow: pow_value,  # refuses 0**-1 and (-8)**(1/3) (complex in Python) as Duals do
}
_HINTS = {
    ast.BitXor: "use ** for powers, not ^",
    ast.FloorDiv: "// is not supported: use /",
    ast.Mod: "% is not supported",
    ast.MatMult: "@ is not supported",
}


class ExpressionError(ValueError):
    """A refused expression; ``col`` is the 0-based column of the offending token."""

    def __init__(self, message: str, text: str, col: int, width: int = 1) -> None:
        super().__init__(message)
        self.message, self.text, self.col, self.width = message, text, col, max(1, width)

    def pointer(self) -> str:
        """The expression with a caret line under the offending token."""
        return f"  {self.text}\n  {_blank(self.text[: self.col])}{'^' * self.width}"


def _blank(text: str) -> str:
    """Blanks as wide on a terminal as ``text``: tabs kept, wide characters doubled."""
    out = []
    for c in text:
        if c == "\t":
            out.append(c)
        elif unicodedata.combining(c) or unicodedata.category(c) == "Mn":
            continue
        else:
            out.append("  " if unicodedata.east_asian_width(c) in "WF" else " ")
    return "".join(out)


@dataclass(frozen=True)
class Expression:
    """A parsed expression; call it with one value per variable, in ``variables`` order."""

    text: str
    tree: ast.expr
    variables: tuple[str, ...]

    def __call__(self, *values: Any) -> Any:
        if len(values) != len(self.variables):
            raise TypeError(f"{self.text!r} takes {len(self.variables)} values, got {len(values)}")
        return _evaluate(self.tree, dict(zip(self.variables, values, strict=True)))


def _functions() -> dict[str, tuple[Callable[..., Any], tuple[int, ...]]]:
    table = {}
    for name, fn in rules.FUNCTIONS.items():
        rule = rules.RULES.get(getattr(fn, "__name__", name))
        table[name] = (fn, (1, 2) if name == "log" else ((rule.arity,) if rule else (1,)))
    return table


def _column(text: str, offset: int) -> int:
    """The character column of ``ast``'s column ``offset``, which counts UTF-8 bytes."""
    if text.isascii():
        return offset
    return len(text.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))


def _span(node: ast.AST, text: str) -> tuple[int, int]:
    col = _column(text, getattr(node, "col_offset", 0))
    end = getattr(node, "end_col_offset", None)
    end = col + 1 if end is None else _column(text, end)
    return col, max(1, min(end, len(text)) - col)


def parse(text: str) -> Expression:
    """Parse ``text`` into an :class:`Expression`, or raise :class:`ExpressionError`."""
    if not isinstance(text, str):
        raise TypeError(f"parse needs a str, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters", text[:60], 0)
    if "\n" in text or "\r" in text:
        raise ExpressionError("the expression must be one line", text.splitlines()[0], 0)
    text = text.strip()
    if not text:
        raise ExpressionError("empty expression", text, 0)
    bad = [i for i, c in enumerate(text) if unicodedata.category(c) in ("Cc", "Cs") and c != "\t"]
    if bad:  # a null byte, a control character, undecodable bytes from the command line
        c = text[bad[0]]
        shown = "".join("?" if i in bad else ch for i, ch in enumerate(text))
        raise ExpressionError(f"unreadable character U+{ord(c):04X}", shown, bad[0])
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        col = max(0, (exc.offset or 1) - 1)
        raise ExpressionError(f"syntax error: {exc.msg}", text, min(col, len(text))) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression nested too deeply", text, 0) from None
    except ValueError as exc:  # refused above already; kept for other Pythons' parsers
        raise ExpressionError(f"syntax error: {exc}", text, 0) from None
    functions = _functions()
    variables: set[str] = set()
    count = 0

    def check(node: ast.AST, depth: int) -> bool:
        """Refuse what is not whitelisted; return whether the subtree is a constant."""
        nonlocal count
        count += 1
        col, width = _span(node, text)
        if count > MAX_NODES:
            raise ExpressionError(f"expression has more than {MAX_NODES} parts", text, col)
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested deeper than {MAX_DEPTH}", text, col)
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise ExpressionError(f"only real numbers are allowed, not {v!r}", text, col, width)
            try:
                if not math.isfinite(float(v)):
                    raise OverflowError
            except OverflowError:
                raise ExpressionError("number too large for a float", text, col, width) from None
            return True
        if isinstance(node, ast.Name):
            if node.id in functions and node.id not in CONSTANTS:
                raise ExpressionError(f"{node.id} is a function: call it as {node.id}(...)",
                                      text, col, width)  # fmt: skip
            if node.id not in CONSTANTS:
                if not _is_variable(node.id):
                    raise ExpressionError(
                        f"variable names are letters and digits, got {node.id!r}", text, col, width
                    )
                variables.add(node.id)
                return False
            return True
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                hint = _HINTS.get(type(node.op), "operator not supported")
                op_col = _operator_column(text, node)
                raise ExpressionError(hint, text, op_col)
            const = check(node.left, depth + 1) & check(node.right, depth + 1)
            if const:  # floats only, so this is cheap; what overflows is refused here
                try:
                    _evaluate(node, {})
                except (OverflowError, ValueError) as exc:  # DomainError is a ValueError
                    msg = "overflows a float" if isinstance(exc, OverflowError) else str(exc)
                    raise ExpressionError(f"constant {msg}", text, col, width) from None
            return const
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise ExpressionError("only unary minus and plus are allowed", text, col)
            return check(node.operand, depth + 1)
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in functions:
                fcol, fwidth = _span(node.func, text)
                what = repr(node.func.id) if isinstance(node.func, ast.Name) else "call"
                known = ", ".join(sorted(functions))
                raise ExpressionError(
                    f"unknown function {what}; the functions are: {known}", text, fcol, fwidth
                )
            if node.keywords:
                kcol, kwidth = _span(node.keywords[0], text)
                raise ExpressionError("keyword arguments are not allowed", text, kcol, kwidth)
            arities = functions[node.func.id][1]
            if len(node.args) not in arities:
                n = " or ".join(map(str, arities))
                raise ExpressionError(
                    f"{node.func.id} takes {n} argument(s), got {len(node.args)}", text, col, width
                )
            const = True
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    scol, swidth = _span(arg, text)
                    raise ExpressionError("* arguments are not allowed", text, scol, swidth)
                const = check(arg, depth + 1) and const
            return False
        kind = type(node).__name__
        raise ExpressionError(f"{kind} is not allowed in an expression", text, col, width)

    check(tree, 0)
    return Expression(text, tree, tuple(sorted(variables)))


def _operator_column(text: str, node: ast.BinOp) -> int:
    """The column of a binary operator: the first non-space after the left operand."""
    i = _column(text, getattr(node.left, "end_col_offset", node.col_offset) or node.col_offset)
    while i < len(text) and text[i] in " )":
        i += 1
    return min(i, max(len(text) - 1, 0))


def _evaluate(node: ast.expr, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return CONSTANTS[node.id] if node.id in CONSTANTS else env[node.id]
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, env), _evaluate(node.right, env))
    if isinstance(node, ast.UnaryOp):
        v = _evaluate(node.operand, env)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.Call):
        name = node.func.id  # type: ignore[attr-defined]
        args = [_evaluate(a, env) for a in node.args]
        if name == "log" and len(args) == 2:
            base = base_value(args[1])
            if isinstance(base, float) and not (base > 0 and base != 1):  # also on Duals
                raise DomainError(
                    f"log(x, base) needs base > 0 and base != 1, got base = {fmt(base)}"
                )
        try:
            return rules.FUNCTIONS[name](*args)
        except (DomainError, OverflowError) as exc:
            _rename(exc, name, len(args))
            raise
    raise AssertionError(f"unchecked node {type(node).__name__}")  # parse() refuses these


def _rename(exc: Exception, name: str, nargs: int) -> None:
    """Make an error raised under an alias name the alias (``log``, not ``ln``)."""
    if name == "log":
        own, written = ("ln", "log2", "log10"), "log(x, base)" if nargs == 2 else "log(x)"
    else:
        own, written = (getattr(rules.FUNCTIONS[name], "__name__", name),), ""
    message = str(exc)
    for canonical in own:
        for form in ("(x)", "(x1, x2)", " "):
            prefix = canonical + form
            if canonical != name and message.startswith(prefix):
                head = written if written and form == "(x)" else name + form
                exc.args = (head + message[len(prefix) :], *exc.args[1:])
                return
