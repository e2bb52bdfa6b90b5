"""Formulas of carbon-inclusion methodologies, evaluated safely.

A methodology writes its baseline, project and leakage emissions as arithmetic over named
parameters, e.g. ``prunings_t * burn_share * ef_open_burning``. The text is parsed with ``ast`` and
only numbers, parameter names, ``+ - * / **``, parentheses, unary minus and the functions of
``FUNCTIONS`` are accepted; anything else (attribute access, subscripts, calls of other names,
lambdas, comparisons, strings) is refused with a :class:`FormulaError` before any evaluation.
Pure: no Odoo import.
"""
import ast
import math
import operator
import re

#: Functions a formula may call: none of them rounds, so figures keep their precision.
FUNCTIONS = {"min": min, "max": max, "abs": abs}
#: The largest exponent accepted: ``10 ** 12`` is a conversion, ``9 ** 9 ** 9`` is an attack.
MAX_EXPONENT = 64
#: The largest magnitude a formula may reach (kgCO2e of a whole province is far below).
MAX_MAGNITUDE = 1e18
MAX_LENGTH = 2000
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


class FormulaError(ValueError):
    """A formula that cannot be accepted or evaluated; the message says why."""


def parse(expression):
    """The checked syntax tree of ``expression``.

    :raises FormulaError: for an empty, too long or unsafe formula
    """
    text = (expression or "").strip()
    if not text:
        raise FormulaError("the formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise FormulaError(f"the formula is not valid arithmetic: {error.msg}") from None
    for node in ast.walk(tree):
        _check_node(node)
    return tree


def _check_node(node):
    if isinstance(node, (ast.Expression, ast.Load, ast.operator, ast.unaryop)):
        if isinstance(node, ast.operator) and type(node) not in _BINARY:
            raise FormulaError(f"the operator {type(node).__name__} is not allowed: use + - * / ** only")
        if isinstance(node, ast.unaryop) and type(node) not in _UNARY:
            raise FormulaError(f"the operator {type(node).__name__} is not allowed: use + - * / ** only")
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaError(f"only numbers are allowed, not {node.value!r}")
        return
    if isinstance(node, (ast.Name, ast.BinOp, ast.UnaryOp)):
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise FormulaError(f"only the functions {', '.join(sorted(FUNCTIONS))} can be called")
        if node.keywords or not node.args or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise FormulaError(f"{node.func.id}() takes plain arguments only")
        return
    raise FormulaError(f"{type(node).__name__} is not allowed in a formula: use numbers, parameter names, "
                       f"+ - * / **, parentheses and {', '.join(sorted(FUNCTIONS))}()")


def names(expression):
    """The parameter names ``expression`` uses, sorted (function names excluded)."""
    tree = parse(expression)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return sorted({node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called})


def evaluate(expression, values):
    """The value of ``expression`` with its names taken from ``values`` (a dict of numbers).

    :raises FormulaError: for an unsafe formula, a missing or non-numeric value, a division by
        zero, an exponent above ``MAX_EXPONENT`` or a result beyond ``MAX_MAGNITUDE``
    """
    tree = parse(expression)
    missing = [name for name in names(expression) if values.get(name) is None]
    if missing:
        raise FormulaError(f"no value for {', '.join(missing)}")
    return float(_eval(tree.body, values))


def _eval(node, values):
    if isinstance(node, ast.Constant):
        return _bounded(node.value)
    if isinstance(node, ast.Name):
        value = values[node.id]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise FormulaError(f"{node.id} is not a number: {value!r}")
        return value
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval(node.operand, values))
    if isinstance(node, ast.Call):
        return _bounded(FUNCTIONS[node.func.id](*(_eval(arg, values) for arg in node.args)))
    left = _eval(node.left, values)
    right = _eval(node.right, values)
    if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
        raise FormulaError(f"the exponent {right:g} is larger than {MAX_EXPONENT}")
    if isinstance(node.op, ast.Div) and right == 0:
        raise FormulaError("division by zero")
    try:
        result = _BINARY[type(node.op)](left, right)
    except (OverflowError, ZeroDivisionError) as error:
        raise FormulaError(f"the formula cannot be computed: {error}") from None
    if isinstance(result, complex):
        raise FormulaError("a negative number raised to a fractional power has no real value")
    return _bounded(result)


def _bounded(value):
    try:
        magnitude = abs(float(value))
    except OverflowError:
        magnitude = math.inf
    if not magnitude <= MAX_MAGNITUDE:
        raise FormulaError(f"the result exceeds {MAX_MAGNITUDE:g}")
    return value


def check_name(name):
    """``name`` if it can be used in a formula, else a :class:`FormulaError`."""
    if not name or not NAME_PATTERN.match(name) or name in FUNCTIONS:
        raise FormulaError(f"{name!r} cannot name a parameter: use letters, digits and _, not starting with a "
                           f"digit, and none of {', '.join(sorted(FUNCTIONS))}")
    return name
