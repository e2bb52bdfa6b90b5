import pytest
from carbon_tools import carbon_formula as cf
from carbon_tools import carbon_math as cm


@pytest.mark.parametrize("expression, values, expected", [
    ("a * b", {"a": 2.5, "b": 4}, 10.0),
    ("(a + b) / 2 - c", {"a": 3, "b": 5, "c": 1}, 3.0),
    ("-a ** 2", {"a": 3}, -9.0),
    ("+a - -b", {"a": 1, "b": 2}, 3.0),
    ("min(a, b) + max(a, b, 10) + abs(-a)", {"a": 1, "b": 2}, 12.0),
    ("1e3 * t", {"t": 1.5}, 1500.0),
    ("10 ** 3", {}, 1000.0),
    ("x ** 0.5", {"x": 16}, 4.0),
])
def test_evaluate(expression, values, expected):
    assert cf.evaluate(expression, values) == pytest.approx(expected)


def test_names_excludes_functions():
    assert cf.names("max(prunings_t * ef, 0) + leak") == ["ef", "leak", "prunings_t"]


@pytest.mark.parametrize("expression, message", [
    ("a.__class__", "Attribute"),
    ("().__class__.__bases__[0]", "not allowed in a formula"),
    ("a[0]", "Subscript"),
    ("__import__('os').system('ls')", "only the functions"),
    ("open('x')", "only the functions"),
    ("(lambda: 1)()", "only the functions"),
    ("lambda: 1", "Lambda"),
    ("a if b else c", "IfExp"),
    ("a < b", "Compare"),
    ("a and b", "BoolOp"),
    ("'text'", "only numbers"),
    ("True", "only numbers"),
    ("a // b", "FloorDiv"),
    ("a % b", "Mod"),
    ("~a", "Invert"),
    ("[a, b]", "List"),
    ("max(*a)", "plain arguments"),
    ("max(a, key=b)", "plain arguments"),
    ("max()", "plain arguments"),
    ("a = 1", "not valid arithmetic"),
    ("", "empty"),
    ("a " * 1001, "longer"),
    ("f'{a}'", "JoinedStr"),
])
def test_refused(expression, message):
    with pytest.raises(cf.FormulaError, match=message):
        cf.evaluate(expression, {"a": 1, "b": 2, "c": 3})


@pytest.mark.parametrize("expression, message", [
    ("9 ** 9 ** 9", "exponent"),
    ("2 ** 65", "exponent"),
    ("10 ** 64", "exceeds"),
    ("1e300 * 1e300", "exceeds"),
    ("1" + "0" * 400, "exceeds"),
    ("a / (b - 2)", "division by zero"),
    ("(-8) ** 0.5", "no real value"),
])
def test_refused_when_evaluated(expression, message):
    with pytest.raises(cf.FormulaError, match=message):
        cf.evaluate(expression, {"a": 1, "b": 2})


def test_missing_and_non_numeric_values():
    with pytest.raises(cf.FormulaError, match="no value for b, c"):
        cf.evaluate("a + b * c", {"a": 1})
    with pytest.raises(cf.FormulaError, match="not a number"):
        cf.evaluate("a + 1", {"a": "1"})
    with pytest.raises(cf.FormulaError, match="not a number"):
        cf.evaluate("a + 1", {"a": float("nan")})


def test_check_name():
    assert cf.check_name("ef_urea_2") == "ef_urea_2"
    for bad in ("2ef", "ef-urea", "max", "", "a.b"):
        with pytest.raises(cf.FormulaError):
            cf.check_name(bad)


def test_inclusion_net():
    # reduction: 12 000 baseline − 3 000 project − 500 leakage
    assert cm.inclusion_net(12000, 3000, 500) == 8500
    # removal: 9 000 project sink − 1 000 baseline sink − 500 leakage
    assert cm.inclusion_net(1000, 9000, 500, "removal") == 7500
    with pytest.raises(ValueError):
        cm.inclusion_net(1, 1, 1, "avoidance")


def test_conservative_deduction():
    assert cm.conservative_deduction(8500, 10) == 850
    assert cm.conservative_deduction(-10, 10) == 0
    # 3 152.289855 × 10 % = 315.2289855 exactly, half up: not the float product 315.22898549999997
    assert cm.conservative_deduction(3152.289855, 10) == 315.228986
    with pytest.raises(ValueError):
        cm.conservative_deduction(10, 101)


@pytest.mark.parametrize("kg, tonnes", [(7650, 7), (7999.999999, 7), (8000, 8), (999.9, 0), (-50, 0), (0, 0)])
def test_whole_tonnes_down(kg, tonnes):
    assert cm.whole_tonnes_down(kg) == tonnes


def test_distribute_by_share_largest_remainder():
    # 100.00 by thirds: 33.33 each, one cent left to the first of the equal remainders
    assert cm.distribute_by_share(100, [33.3333, 33.3333, 33.3334]) == [33.33, 33.33, 33.34]
    # 10.00 at 50/25/25 divides exactly
    assert cm.distribute_by_share(10, [50, 25, 25]) == [5.0, 2.5, 2.5]
    # 0.05 at 60/40: exact 0.03 and 0.02
    assert cm.distribute_by_share(0.05, [60, 40]) == [0.03, 0.02]
    # 1.00 at 45.5/45.5/9: 0.455, 0.455, 0.09 → 0.45, 0.45, 0.09 + one cent to the first .005
    parts = cm.distribute_by_share(1, [45.5, 45.5, 9])
    assert parts == [0.46, 0.45, 0.09] and round(sum(parts), 2) == 1.0


def test_distribute_by_share_refuses():
    with pytest.raises(ValueError, match="100"):
        cm.distribute_by_share(10, [50, 40])
    with pytest.raises(ValueError, match="negative"):
        cm.distribute_by_share(10, [120, -20])
