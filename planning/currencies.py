"""ISO 4217 currencies as Babel's CLDR data knows them: the codes in use, each one's minor
unit, and the locale its amounts are written in by default.
"""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache

__all__ = ["CURRENCIES", "currency_problem", "default_locale", "locale_problem", "minor_digits"]


@lru_cache(maxsize=1)
def _currencies_in_use() -> frozenset[str]:
    from babel.core import get_global

    today = date.today()
    codes = set()
    for spans in get_global("territory_currencies").values():
        for code, _start, end, tender in spans:
            if tender and (end is None or date(*end) > today):
                codes.add(code)
    return frozenset(codes)


class _CurrencySet:
    """ISO 4217 codes legal tender somewhere today, from Babel's CLDR data (lazily loaded).

    Fund codes (BOV, CLF, ...), precious metals and test codes (XAU, XTS, XXX) are in no
    territory's tender list: nobody is paid in them.
    """

    def __contains__(self, code: object) -> bool:
        return code in _currencies_in_use()

    def __iter__(self):
        return iter(sorted(_currencies_in_use()))

    def __len__(self) -> int:
        return len(_currencies_in_use())


CURRENCIES = _CurrencySet()


def currency_problem(code: object) -> str | None:
    """Why ``code`` is not a currency a company can be paid in, or None when it is one."""
    if isinstance(code, str) and code.strip().upper() in CURRENCIES:
        return None
    from babel.numbers import get_currency_name, is_currency

    if isinstance(code, str) and is_currency(code.strip().upper()):
        upper = code.strip().upper()
        return (f"{code!r} ({get_currency_name(upper, locale='en')}) is no longer in use; "
                "expected an ISO 4217 code in use like AUD, EUR or USD")
    return f"{code!r} is not a currency code; expected an ISO 4217 code like AUD, EUR or USD"


@cache
def minor_digits(currency: str) -> int:
    """Decimals of the currency's minor unit: 2 for AUD, 0 for JPY, 3 for KWD ('' -> 2).

    From Babel's CLDR data. It is ISO 4217's minor unit except for the few currencies whose
    ISO minor unit is out of use (IDR, HUF, IQD, COP, ...: CLDR and their payrolls count
    whole units), where CLDR is followed.
    """
    if not currency:
        return 2
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(str(currency).upper()))


@cache
def default_locale(currency: str) -> str:
    """The locale amounts are written in when ``company.yaml`` names none.

    English (the reports' language) as written in the currency's country when Babel knows
    that locale (AUD -> en_AU, USD -> en_US, JPY -> en_JP, INR -> en_IN, CHF -> en_CH), else
    plain ``en`` (EUR, KWD).
    """
    from babel.localedata import locale_identifiers

    candidate = f"en_{str(currency)[:2].upper()}"
    return candidate if len(str(currency)) == 3 and candidate in set(locale_identifiers()) else "en"


def locale_problem(locale: object) -> str | None:
    """Why ``locale`` is not one Babel can write amounts in, or None."""
    from babel import Locale, UnknownLocaleError

    if not isinstance(locale, str) or not locale.strip():
        return f"{locale!r} is not a locale; expected a locale like en_AU, de_DE or ja_JP"
    try:
        Locale.parse(locale.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return f"{locale!r} is not a locale Babel knows; expected a locale like en_AU, de_DE or ja_JP"
    return None
