"""Carbon arithmetic in kgCO2e.

Pure functions, no Odoo import: unit conversion, GWP weighting, physical and spend-based
carbon, intensities and rounding. Models call these; ``tests/unit`` tests them directly.
"""
import calendar
import datetime
import math
from decimal import ROUND_HALF_UP, Decimal

#: kgCO2e are kept to the milligram, so that small per-unit figures (0.0004 kg a unit) stay exact
#: move by move instead of rounding to zero.
CARBON_DIGITS = 6
#: Factors and intensities (kgCO2e per unit) need finer steps: 0.000123 kg/CNY is common.
FACTOR_DIGITS = 6


def round_carbon(value, digits=CARBON_DIGITS):
    """Round half away from zero to ``digits`` decimals, the one rounding rule of the ledger."""
    if value is None:
        raise ValueError("cannot round a missing carbon figure")
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def fixed_text(value, digits=CARBON_DIGITS, min_digits=3):
    """``value`` rounded to ``digits`` decimals as text, trailing zeros dropped down to
    ``min_digits`` decimals: the stable form hashes and exports use (a figure kept to the gram
    reads as it always did)."""
    text = f"{round_carbon(value or 0.0, digits):.{digits}f}"
    integer, __, decimals = text.partition(".")
    decimals = decimals.rstrip("0").ljust(min_digits, "0")
    return f"{integer}.{decimals}"


def is_zero(value, digits=CARBON_DIGITS):
    """True when ``value`` rounds to zero at ``digits`` decimals."""
    return round_carbon(value, digits) == 0


def compare(a, b, digits=CARBON_DIGITS):
    """-1, 0 or 1 as ``a`` is below, equal to or above ``b`` once both are rounded."""
    diff = round_carbon(a - b, digits)
    return (diff > 0) - (diff < 0)


def gwp_weighted_total(gas_amounts, gwp_values):
    """kgCO2e of a mix of gases.

    :param gas_amounts: {gas code: kg of that gas}
    :param gwp_values: {gas code: GWP (kgCO2e per kg of gas)}
    :raises KeyError: naming the gases the GWP set has no value for
    """
    missing = sorted(set(gas_amounts) - set(gwp_values))
    if missing:
        raise KeyError(", ".join(missing))
    return sum(amount * gwp_values[gas] for gas, amount in gas_amounts.items())


def convert_quantity(qty, from_factor, to_factor):
    """Convert ``qty`` between two units given their factors to a common reference unit.

    Odoo's ``uom.uom.factor`` is such a factor (1 kg = 1000 g: kg.factor = 1000 × g.factor),
    so a quantity in *from* is ``qty × from_factor / to_factor`` in *to*. No rounding here.
    """
    if not from_factor or not to_factor:
        raise ValueError("a unit factor of zero cannot be converted")
    return qty * from_factor / to_factor


def convert_amount(amount, from_rate, to_rate):
    """``amount`` in a currency worth ``from_rate`` per unit of the company currency, in one worth
    ``to_rate`` (Odoo's ``res.currency.rate.rate``). No rounding here.

    :raises ValueError: when a rate is missing: converting one to one would be a silent guess
    """
    if not from_rate or not to_rate:
        raise ValueError("a currency amount cannot be converted without both rates")
    return amount * to_rate / from_rate


def received_expense_carbon(billed_carbon, order_carbon, order_qty, received_qty, billed_qty):
    """kgCO2e booked for a non-stock order line (energy, fuel, services): what its posted bills
    declare, plus the order's carbon, pro rata, of what is received and not billed yet.

    :param billed_carbon: kgCO2e of the assessed bill lines (credit notes negative)
    :param order_carbon: kgCO2e of the order line for ``order_qty`` (0 when unassessed)
    :param received_qty: quantity received, in the order line's unit
    :param billed_qty: quantity the assessed bill lines bill, in the order line's unit
    """
    unbilled = max(received_qty - billed_qty, 0.0)
    received = order_carbon * unbilled / order_qty if order_qty else 0.0
    return round_carbon(billed_carbon + received)


def carbon_of_quantity(quantity, factor_value):
    """kgCO2e of ``quantity`` units of a physical factor of ``factor_value`` kgCO2e per unit."""
    if factor_value < 0:
        raise ValueError("an emission factor cannot be negative; removals are E-assets, booked apart")
    return quantity * factor_value


def intensity(carbon, quantity):
    """kgCO2e per unit, or None when there is no quantity to divide by."""
    if not quantity:
        return None
    return carbon / quantity


def line_figures(debit, credit, source):
    """(balance, carbon) of a ledger line: the balance is debit less credit; the carbon reads it in
    the account's direction, negated on a ``source`` account (emissions, carbon acquired), whose
    credits count positive."""
    balance = debit - credit
    return balance, -balance if source else balance


def share_percent(part, whole, digits=1):
    """``part`` as a percentage of ``whole``, rounded to ``digits``; None when there is no whole."""
    if not whole:
        return None
    return round(100.0 * part / whole, digits)


def relative_gap(a, b):
    """|a - b| relative to the larger magnitude (0 when both are 0)."""
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale else 0.0


def allocate(total, weights, digits=CARBON_DIGITS):
    """Split ``total`` in proportion to ``weights``, each part rounded to ``digits``, the rounding
    residual put on the part of the largest weight so that the parts add up to ``total`` exactly.

    :param weights: list of non-negative numbers, not all zero
    :returns: list of parts, in the order of ``weights``
    """
    if any(w < 0 for w in weights):
        raise ValueError("allocation weights cannot be negative")
    weight_sum = sum(weights)
    if not weight_sum:
        raise ValueError("nothing to allocate to: all weights are zero")
    total = round_carbon(total, digits)
    parts = [round_carbon(total * w / weight_sum, digits) for w in weights]
    largest = max(range(len(weights)), key=lambda i: weights[i])
    parts[largest] = round_carbon(total - sum(p for i, p in enumerate(parts) if i != largest), digits)
    return parts


def register_held(received, retired=0.0, sold=0.0, reversed_=0.0, transferred=0.0, digits=CARBON_DIGITS):
    """tCO2e still held in a register (removals, credits): generated, acquired or issued less what
    was retired, sold, reversed and transferred, rounded. Negative when more went out than came in, which the
    registers refuse.

    :raises ValueError: when a figure is negative
    """
    if any(round_carbon(figure, digits) < 0 for figure in (received, retired, sold, reversed_, transferred)):
        raise ValueError("register figures are tonnes in or out: none can be negative")
    return round_carbon(received - retired - sold - reversed_ - transferred, digits)


def net_of_buffer(tonnes, buffer_percent, digits=CARBON_DIGITS):
    """tCO2e of ``tonnes`` less the reversal-risk buffer of ``buffer_percent`` (0 to 100), rounded.

    :raises ValueError: for a buffer outside 0-100 %
    """
    if not 0 <= buffer_percent <= 100:
        raise ValueError("a reversal-risk buffer is a percentage from 0 to 100")
    return round_carbon(tonnes * (100 - buffer_percent) / 100, digits)


def net_quantities(quantities, returned):
    """Each outflow's quantity less what came back of it (customer returns, unbuilds), never below zero."""
    if len(quantities) != len(returned):
        raise ValueError("every outflow needs its returned quantity")
    return [max(qty - back, 0.0) for qty, back in zip(quantities, returned, strict=True)]


def split_over_outflows(total, quantities, returned=None, digits=CARBON_DIGITS):
    """Split ``total`` over outflows of goods in proportion to their net quantity (what left less
    what came back of it), the rounding residual on the largest, so that the parts add up to
    ``total`` exactly. An outflow entirely returned takes nothing.

    :param quantities: quantity of each outflow, in one unit
    :param returned: quantity that came back of each outflow (none when omitted)
    :raises ValueError: when nothing is left out to carry the carbon
    """
    nets = net_quantities(quantities, returned if returned is not None else [0.0] * len(quantities))
    if not any(compare(net, 0.0, digits) > 0 for net in nets):
        raise ValueError("no net outflow to carry the carbon")
    return allocate(total, nets, digits)


def split_by_cost_share(total, cost_shares, digits=CARBON_DIGITS):
    """A production's ``total`` between its main product and its by-products: each by-product
    takes its cost share (percent), the main product the rest, so that the parts add up exactly.

    :returns: (main product's part, [by-products' parts in the order of ``cost_shares``])
    """
    if any(share < 0 for share in cost_shares) or sum(cost_shares) > 100:
        raise ValueError("by-products' cost shares must be between 0 and 100 percent in all")
    total = round_carbon(total, digits)
    parts = [round_carbon(total * share / 100.0, digits) for share in cost_shares]
    return round_carbon(total - sum(parts), digits), parts


#: Uncertainty (%, half the 95 % confidence interval) of activity data by its quality, after the
#: IPCC 2006 Guidelines, Vol. 1, ch. 3, table 3.1 and the GHG Protocol's uncertainty tool:
#: verified primary data (metered, checked by a third party), primary data (metered or invoiced
#: quantities), secondary data (amounts spent, averages), estimates (engineering judgement).
ACTIVITY_UNCERTAINTY = {"verified": 2.0, "primary": 5.0, "secondary": 15.0, "estimate": 30.0}


def activity_uncertainty(quality):
    """Uncertainty (%) of activity data of ``quality`` (a key of ``ACTIVITY_UNCERTAINTY``)."""
    if quality not in ACTIVITY_UNCERTAINTY:
        raise ValueError(f"unknown data quality {quality!r}")
    return ACTIVITY_UNCERTAINTY[quality]


def combined_uncertainty(activity_percent, factor_percent):
    """IPCC approach 1, one source: the uncertainty (%) of activity x factor, √(U_activity² + U_factor²)."""
    if activity_percent < 0 or factor_percent < 0:
        raise ValueError("an uncertainty is a percentage of zero or more")
    return math.sqrt(activity_percent ** 2 + factor_percent ** 2)


def aggregate_uncertainty(pairs):
    """IPCC approach 1, a sum of sources: √Σ(U·E)² / |ΣE| for ``pairs`` of (uncertainty %, emissions).

    :returns: the uncertainty (%) of the total, or None when the emissions add up to zero
    """
    pairs = list(pairs)
    total = sum(emissions for __, emissions in pairs)
    if is_zero(total):
        return None
    return math.sqrt(sum((u * emissions) ** 2 for u, emissions in pairs)) / abs(total)


def aggregate_uncertainty_of_sums(groups):
    """IPCC approach 1 over groups of sources that share one uncertainty, given their sums: ``groups`` of
    (uncertainty %, ΣE, ΣE²). Within a group Σ(U·E)² = U²·ΣE², so √Σ(U²·ΣE²) / |ΣE| equals
    ``aggregate_uncertainty`` over the sources one by one.

    :returns: the uncertainty (%) of the total, or None when the emissions add up to zero
    """
    groups = list(groups)
    total = sum(emissions for __, emissions, __ in groups)
    if is_zero(total):
        return None
    return math.sqrt(sum(u ** 2 * squares for u, __, squares in groups)) / abs(total)


def change_percent(current, reference):
    """The change (%) from ``reference`` to ``current``, or None when there is no reference to compare
    with (None or zero)."""
    if reference is None or current is None or is_zero(reference):
        return None
    return (current - reference) / abs(reference) * 100.0


def equity_share(amount, share_percent, digits=CARBON_DIGITS):
    """The part of ``amount`` a company accounts for by its ``share_percent`` of equity."""
    if not 0 <= share_percent <= 100:
        raise ValueError("an equity share is between 0 and 100 percent")
    return round_carbon(amount * share_percent / 100.0, digits)


def intensity_per_million(carbon, revenue):
    """``carbon`` per million of ``revenue``, or None when there is no revenue to divide by."""
    if is_zero(revenue, 2):
        return None
    return carbon / (revenue / 1_000_000.0)


def _add_months(day, months):
    """``day`` moved by ``months`` (negative: back), on the last day of the month when it has fewer days."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _is_month_end(day):
    return (day + datetime.timedelta(days=1)).day == 1


def previous_period(date_from, date_to):
    """(first day, last day) of the period of the same length just before ``date_from``..``date_to``:
    as many whole months before when the period is whole months (a year, a quarter), else as many days."""
    day = datetime.timedelta(days=1)
    if date_from.day == 1 and _is_month_end(date_to):
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        return _add_months(date_from, -months), date_from - day
    return date_from - (date_to - date_from) - day, date_from - day


def period_in_year(date_from, date_to, year):
    """(first day, last day): the same dates as ``date_from``..``date_to`` in the period starting in
    ``year``; a period ending on a month's last day ends on that month's last day (28 or 29 February)."""
    months = 12 * (year - date_from.year)
    end = _add_months(date_to, months)
    if _is_month_end(date_to):
        end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    return _add_months(date_from, months), end


def plain_number(value, digits=FACTOR_DIGITS):
    """``value`` rounded to ``digits`` decimals as short text: no trailing zeros, one decimal kept
    (``100.0``, ``2.5``, ``0.000123``)."""
    text = f"{round_carbon(value, digits):.{digits}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def computation_text(quantity, unit, unit_carbon, carbon):
    """The calculation of a ledger line written out for an auditor to re-perform:
    ``"100.0 kg × 2.0 kgCO2e/kg = 200.0 kgCO2e"``. Amounts are shown unsigned (the line's side
    says the direction). None when there is no quantity in a unit or no carbon per unit to multiply."""
    if not unit or is_zero(quantity, FACTOR_DIGITS) or is_zero(unit_carbon, FACTOR_DIGITS):
        return None
    return (f"{plain_number(abs(quantity))} {unit} × {plain_number(unit_carbon)} kgCO2e/{unit} "
            f"= {plain_number(abs(carbon), CARBON_DIGITS)} kgCO2e")


def inclusion_net(baseline, project, leakage, kind="reduction", digits=CARBON_DIGITS):
    """kgCO2e a carbon-inclusion project earns before the conservativeness deduction: for a
    reduction, baseline − project − leakage emissions; for a removal (sink), project sink −
    baseline sink − leakage."""
    if kind not in ("reduction", "removal"):
        raise ValueError("a methodology is of reductions or of removals")
    if kind == "reduction":
        return round_carbon(baseline - project - leakage, digits)
    return round_carbon(project - baseline - leakage, digits)


def conservative_deduction(net, percent, digits=CARBON_DIGITS):
    """The part of ``net`` set aside by a conservativeness deduction of ``percent`` (0 to 100);
    nothing is deducted from a result at or below zero."""
    if not 0 <= percent <= 100:
        raise ValueError("a conservativeness deduction is a percentage from 0 to 100")
    net = round_carbon(net, digits)
    if net <= 0:
        return 0.0
    exact = Decimal(repr(net)) * Decimal(repr(percent)) / Decimal(100)
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def whole_tonnes_down(kg):
    """Whole tCO2e issuable for ``kg`` kgCO2e: rounded down, never below zero (credits are issued
    in whole tonnes and a part tonne is not issued)."""
    kg = Decimal(repr(round_carbon(kg)))
    if kg <= 0:
        return 0
    return int(kg // 1000)


def distribute_by_share(amount, shares, digits=2):
    """Split ``amount`` (money) by ``shares`` (percentages summing to 100) to ``digits`` decimals by
    the largest remainder: every part is rounded down to the cent, then the cents left are given one
    each to the parts with the largest remainders (ties to the earlier part), so that the parts add
    up to ``amount`` exactly.

    :returns: list of parts, in the order of ``shares``
    :raises ValueError: for a negative share, or shares not summing to 100
    """
    if any(share < 0 for share in shares):
        raise ValueError("an activity share cannot be negative")
    if not shares or round_carbon(sum(shares), 4) != 100:
        raise ValueError("activity shares add up to 100 %")
    quantum = Decimal(1).scaleb(-digits)
    total_units = int((Decimal(repr(amount)) / quantum).to_integral_value(rounding=ROUND_HALF_UP))
    if total_units < 0:
        raise ValueError("only a revenue of zero or more is distributed")
    exact = [Decimal(total_units) * Decimal(repr(share)) / Decimal(100) for share in shares]
    units = [int(part) for part in exact]
    left = total_units - sum(units)
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - units[i]), i))
    for index in order[:left]:
        units[index] += 1
    return [float(Decimal(unit) * quantum) for unit in units]
