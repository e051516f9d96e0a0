"""Time constants and currency handling shared by planning, storage and reports.

Pure functions and constants; safe on any thread. A month is an average calendar month
(365 days / 12), so that monthly and yearly figures convert exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from planner.core.errors import InputError

DAYS_PER_MONTH = 365.0 / 12.0
HOURS_PER_MONTH = DAYS_PER_MONTH * 24.0
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0
SECONDS_PER_DAY = 86_400.0

# ISO 4217 codes accepted for prices; extend when a user needs another currency.
KNOWN_CURRENCIES = frozenset(
    [
        "AED",
        "ARS",
        "AUD",
        "BGN",
        "BRL",
        "CAD",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CZK",
        "DKK",
        "EGP",
        "EUR",
        "GBP",
        "HKD",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "ISK",
        "JPY",
        "KRW",
        "KWD",
        "MXN",
        "MYR",
        "NGN",
        "NOK",
        "NZD",
        "PEN",
        "PHP",
        "PKR",
        "PLN",
        "QAR",
        "RON",
        "RSD",
        "SAR",
        "SEK",
        "SGD",
        "THB",
        "TRY",
        "TWD",
        "UAH",
        "USD",
        "VND",
        "ZAR",
    ]
)
_CODE = re.compile(r"^[A-Z]{3}$")


def check_currency(code: str) -> str:
    """Return ``code`` if it is a known ISO 4217 currency code, else raise InputError."""
    if not _CODE.match(code) or code not in KNOWN_CURRENCIES:
        raise InputError(f"unknown currency {code!r}: use an ISO 4217 code such as USD, EUR or GBP")
    return code


def convert(amount: float, currency: str, target: str, rates: Mapping[str, float]) -> float:
    """Convert ``amount`` from ``currency`` into ``target``.

    ``rates`` maps a currency code to how many units of ``target`` one unit of it buys
    (for target EUR: ``{"USD": 0.92}``). Raises InputError naming the missing rate.
    """
    if currency == target:
        return amount
    rate = rates.get(currency)
    if rate is None:
        raise InputError(
            f"no exchange rate from {currency} to {target}: add {currency} = <rate> "
            "under [exchange_rates]"
        )
    return amount * rate
