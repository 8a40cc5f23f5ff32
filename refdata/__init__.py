"""Reference data on the 194 ITU Member States (files under ``data/``), validated at load."""

from refdata.countries import GROUPS, REGIONS, Country, CountryDataError, countries, country, country_name

__all__ = ["GROUPS", "REGIONS", "Country", "CountryDataError", "countries", "country", "country_name"]
