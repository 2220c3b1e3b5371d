"""The actor registry: countries, their ministries, bodies and calendar series, and their history (group
memberships, government reorganisations, dated occurrences), as validated data with sources."""

from resolute.shared.actors.calendar import (
    Conflict,
    KnownOccurrence,
    ProjectedOccurrence,
    conflicts,
    project_occurrence,
)
from resolute.shared.actors.loader import default_registry, load_registry, load_shipped_registry, parse_registry
from resolute.shared.actors.models import (
    ActorRegistry,
    Body,
    Country,
    CountryGroup,
    EventSeries,
    Membership,
    Ministry,
    OccurrenceRef,
    PolicyArea,
    Reorganisation,
    SeriesOccurrence,
    Source,
)
from resolute.shared.actors.reorganisation import ReorganisationError, successor, with_reorganisation
from resolute.shared.actors.responsibility import LeadMinistry, lead_ministry, ministry_for, responsible_ministries

__all__ = [
    "ActorRegistry",
    "Body",
    "Conflict",
    "Country",
    "CountryGroup",
    "EventSeries",
    "KnownOccurrence",
    "LeadMinistry",
    "Membership",
    "Ministry",
    "OccurrenceRef",
    "PolicyArea",
    "ProjectedOccurrence",
    "Reorganisation",
    "ReorganisationError",
    "SeriesOccurrence",
    "Source",
    "conflicts",
    "default_registry",
    "lead_ministry",
    "load_registry",
    "load_shipped_registry",
    "ministry_for",
    "parse_registry",
    "project_occurrence",
    "responsible_ministries",
    "successor",
    "with_reorganisation",
]
