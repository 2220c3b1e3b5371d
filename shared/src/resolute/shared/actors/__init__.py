"""The actor registry: countries, their ministries, bodies and calendar series, as validated data."""

from resolute.shared.actors.loader import default_registry, load_registry, parse_registry
from resolute.shared.actors.models import (
    ActorRegistry,
    Body,
    Country,
    CountryGroup,
    EventSeries,
    Ministry,
    PolicyArea,
)
from resolute.shared.actors.responsibility import LeadMinistry, lead_ministry, responsible_ministries

__all__ = [
    "ActorRegistry",
    "Body",
    "Country",
    "CountryGroup",
    "EventSeries",
    "LeadMinistry",
    "Ministry",
    "PolicyArea",
    "default_registry",
    "lead_ministry",
    "load_registry",
    "parse_registry",
    "responsible_ministries",
]
