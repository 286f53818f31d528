"""English for a Danish network: British order (day, month, year) and the
24-hour clock, as the members read dates in Danish. Danish uses Django's own."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # 12 January 2027
TIME_FORMAT = "H:i"  # 18:20
DATETIME_FORMAT = "j F Y, H:i"  # 12 January 2027, 18:20
YEAR_MONTH_FORMAT = "F Y"  # January 2027
MONTH_DAY_FORMAT = "j F"  # 12 January
SHORT_DATE_FORMAT = "d/m/Y"  # 12/01/2027
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 12/01/2027 18:20
FIRST_DAY_OF_WEEK = 1  # Monday
