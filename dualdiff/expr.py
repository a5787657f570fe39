"""A whitelist parser for the command line's expressions.

Python's ``ast`` parses the text; only numbers, variable names, the rule table's functions
(``dualdiff.FUNCTIONS``), the constants ``pi`` and ``e``, ``+ - * / **``, unary minus and
parentheses are accepted. Nothing is ever passed to ``eval``, ``exec`` or ``compile``-to-code:
the tree is walked and each node is applied by hand. Every number is a float, so a power of
constants such as ``9**9**9**9`` overflows at once instead of building a huge integer; length,
nesting depth and the number of nodes are bounded.

>>> e = parse("x**2 * sin(x) + y")
>>> e.variables
('x', 'y')
>>> e(2.0, 1.0) == 4 * math.sin(2.0) + 1
True
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import rules
from .dual import _pow_value
from .errors import ZeroDivisionDomainError

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "MAX_NODES", "Expression", "ExpressionError", "parse"]

MAX_LENGTH = 2000
MAX_DEPTH = 40
MAX_NODES = 400
CONSTANTS = {"pi": math.pi, "e": math.e}
_VARIABLE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


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
    ast.Pow: _pow_value,  # refuses 0**-1 and (-8)**(1/3) (complex in Python) as Duals do
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
        return f"  {self.text}\n  {' ' * self.col}{'^' * self.width}"


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


def _span(node: ast.AST, text: str) -> tuple[int, int]:
    col = getattr(node, "col_offset", 0)
    end = getattr(node, "end_col_offset", col + 1) or col + 1
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
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        col = max(0, (exc.offset or 1) - 1)
        raise ExpressionError(f"syntax error: {exc.msg}", text, min(col, len(text))) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression nested too deeply", text, 0) from None
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
                if not _VARIABLE.match(node.id):
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
    i = getattr(node.left, "end_col_offset", node.col_offset) or node.col_offset
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
        fn = rules.FUNCTIONS[node.func.id]  # type: ignore[attr-defined]
        return fn(*(_evaluate(a, env) for a in node.args))
    raise AssertionError(f"unchecked node {type(node).__name__}")  # parse() refuses these
