"""Policy area of a commitment, from a fixed vocabulary, by a general keyword rule.

The item's own words count most, its section heading next, the document title
least; the section's area breaks ties. Ministries are then looked up per
country from the area, so this rule decides who gets notified.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# Keyword stems per area. Each entry is a regex fragment matched at a word start.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "defence": (
        r"defen[cs]e(?! of (?:democra|human|freedom|values))",
        r"militar",
        r"armed forces",
        r"army",
        r"troops?",
        r"deterren",
        r"deter\b",
        r"conscript",
        r"weapon",
        r"ammunition",
        r"artillery",
        r"missile",
        r"air defen",
        r"drones?\b",
        r"uncrewed",
        r"unmanned",
        r"battlegroup",
        r"brigade",
        r"capability targets",
        r"rules of engagement",
        r"nuclear deterrent",
        r"nuclear weapons",
        r"forward (?:defence|presence)",
        r"eastern flank",
        r"allied presence",
        r"interoperab",
        r"collective defen",
        r"combat",
        r"warfare",
        r"warfighting",
        r"air policing",
        r"nato",
        r"alliance",
        r"allied",
        r"training ranges",
        r"exercises?",
        r"procurement of military",
        r"armou?red",
        r"warships?",
        r"aircraft",
        r"force(?:s| posture| model)",
        r"posture",
        r"capabilit",
        r"icebreak",
        r"intelligence",
        r"cold-weather",
        r"operations",
        r"personnel",
    ),
    "security": (
        r"security",
        r"hybrid",
        r"resilien",
        r"critical (?:undersea )?infrastructure",
        r"crisis",
        r"crises",
        r"civil defen[cs]e",
        r"civil protection",
        r"civil preparedness",
        r"emergenc",
        r"disaster",
        r"preparedness",
        r"terroris",
        r"sabotage",
        r"threats?",
        r"foreign interference",
        r"disinformation",
        r"information manipulation",
        r"cyber",
    ),
    "foreign-affairs": (
        r"ukrain",
        r"diplomat",
        r"sanction",
        r"partners(?:hip)?",
        r"eastern partnership",
        r"foreign polic",
        r"international (?:community|order|law|organisation|organization)",
        r"peace",
        r"ceasefire",
        r"negotiat",
        r"western balkans",
        r"membership",
        r"enlargement",
        r"euro-atlantic",
        r"russia",
        r"china",
        r"belarus",
        r"iran",
        r"north korea",
        r"reconciliation",
        r"reconstruction",
        r"humanitarian",
        r"global south",
        r"indo-pacific",
        r"position",
        r"bilateral",
    ),
    "interior": (
        r"border",
        r"schengen",
        r"migration",
        r"migrant",
        r"asylum",
        r"police",
        r"policing",
        r"rescue",
        r"third-country nationals",
        r"entry points",
        r"border guard",
        r"public order",
    ),
    "justice": (
        r"justice",
        r"judicia",
        r"courts?\b",
        r"tribunal",
        r"war crimes",
        r"accountab",
        r"prosecut",
        r"criminal",
        r"legal framework",
        r"rule of law",
        r"anti-corruption",
        r"corruption",
        r"prisoners",
        r"human rights",
        r"laundering",
    ),
    "finance": (
        r"financ",
        r"budget",
        r"funding",
        r"fund\b",
        r"tax",
        r"multiannual financial framework",
        r"banking",
        r"co-financing",
        r"frozen (?:russian )?assets",
        r"windfall",
        r"investment fund",
        r"reimburse",
    ),
    "economy": (
        r"econom",
        r"trade",
        r"investment (?:climate|screening|flows?|environment|fund)",
        r"foreign direct investment",
        r"investors?",
        r"industr",
        r"business",
        r"start-up",
        r"innovation",
        r"innovat",
        r"tourism",
        r"market",
        r"bureaucracy",
        r"export control",
        r"supply chains?",
        r"raw materials",
        r"private sector",
        r"private capital",
        r"competitiv",
        r"entrepreneur",
        r"incubator",
        r"marketing",
        r"companies",
        r"company",
        r"oecd",
        r"three seas",
    ),
    "energy": (
        r"energy security",
        r"security of (?:the )?energy supply",
        r"energy",
        r"electricit",
        r"gas\b",
        r"power (?:supply|plant|grid)",
        r"baseload",
        r"grids?\b",
        r"synchroni[sz]ation of the (?:baltic )?electricity",
        r"nuclear energy",
        r"renewable",
        r"wind (?:farm|sector|energy|power)",
        r"offshore wind",
        r"offshore energy",
        r"hydrogen",
        r"interconnect",
        r"oil\b",
        r"fossil",
        r"district heating",
        r"bidding-zone",
        r"biogas",
    ),
    "transport": (
        r"transport",
        r"rail",
        r"railway",
        r"rail baltica",
        r"via baltica",
        r"roads?\b",
        r"road infrastructure",
        r"ports?\b",
        r"shipping",
        r"logistics",
        r"cargo",
        r"vignette",
        r"airports?",
        r"aviation",
        r"airspace",
        r"charging network",
        r"electric vehicle",
        r"ticketing",
        r"passenger",
        r"connectivity",
        r"military mobility",
        r"gauge",
        r"rolling stock",
        r"corridors?",
        r"travel",
    ),
    "digital": (
        r"digital",
        r"e-services",
        r"data exchange",
        r"registers?\b",
        r"databases?",
        r"artificial intelligence",
        r"\bai\b",
        r"e-government",
        r"information society",
        r"intranets?",
        r"rfid",
        r"blockchain",
        r"language models",
        r"technolog",
        r"cyber ?security",
        r"interoperability of (?:data|systems)",
        r"space agency",
    ),
    "environment": (
        r"environment",
        r"biodiversity",
        r"natura 2000",
        r"nature",
        r"pollut",
        r"wastewater",
        r"water management",
        r"baltic sea (?:ecosystem|protection)",
        r"protection of the baltic sea",
        r"waste",
        r"packaging",
        r"recycl",
        r"eutrophication",
        r"bird species",
        r"peatland",
        r"ecosystem",
        r"swamp",
        r"forest",
        r"second-hand goods",
        r"genetic (?:diversity|resource)",
        r"marine",
        r"runoff",
        r"green transition",
        r"sustainab",
        r"ecolog",
    ),
    "climate": (
        r"climate",
        r"decarboni",
        r"emission",
        r"carbon",
        r"green shipping",
        r"clean energy transition",
        r"biosphere",
    ),
    "agriculture": (
        r"food security",
        r"agricultur",
        r"farm(?:ing|ers?|s)?\b",
        r"common agricultural policy",
        r"food",
        r"fisher",
        r"fishing",
        r"fish stocks",
        r"aquaculture",
        r"veterinar",
        r"animal",
        r"swine fever",
        r"forestry",
        r"timber",
        r"fur farming",
        r"livestock",
        r"seaweed",
        r"mussel",
        r"grain",
    ),
    "health": (
        r"health security",
        r"health",
        r"healthcare",
        r"hospital",
        r"medicin",
        r"medical",
        r"patients?",
        r"cancer",
        r"ambulance",
        r"pharmac",
        r"rare diseases",
        r"treatments?",
        r"therapy",
        r"therapies",
        r"specialised care",
        r"medicines agency",
    ),
    "social-affairs": (
        r"social",
        r"welfare",
        r"labour",
        r"employment",
        r"pension",
        r"families",
        r"family",
        r"children",
        r"gender",
        r"women",
        r"disabilit",
        r"civic engagement",
        r"civil society",
        r"recruitment and retention",
    ),
    "education": (
        r"educat",
        r"school",
        r"students?",
        r"universit",
        r"curricul",
        r"study programme",
        r"teaching",
        r"teachers?",
        r"literacy",
        r"training programs?",
        r"training programmes?",
        r"academ",
        r"internship",
        r"qualifications",
        r"skills",
        r"leaders(?:hip)? programme",
        r"stem\b",
        r"graduates",
        r"languages?\b",
        r"lifelong learning",
    ),
    "research": (
        r"research",
        r"scien",
        r"cern",
        r"horizon europe",
        r"r&d",
        r"space strategy",
        r"space agency",
        r"feasibility study",
        r"particle therapy",
        r"high-energy physics",
        r"consortia",
    ),
    "culture": (
        r"cultur",
        r"heritage",
        r"song and dance",
        r"artists?",
        r"creative",
        r"baltic culture fund",
        r"\bbcf\b",
        r"baltic way",
        r"historical memory",
        r"anniversary",
        r"media",
        r"broadcast",
        r"news\b",
        r"information area",
        r"identity",
        r"public opinion",
        r"memorial",
        r"deportation",
    ),
    "regional-development": (
        r"regional development",
        r"municipalit",
        r"cross-border regions",
        r"border areas",
        r"local (?:government|authorit)",
        r"rural",
    ),
    "governance": (
        r"cooperation mechanism",
        r"coordination mechanism",
        r"legislative and executive",
        r"institutional",
        r"secretariat",
        r"parliaments?\b",
        r"parliamentar",
        r"public administration",
        r"democra",
        r"elector",
        r"governance",
        r"baltic council of ministers",
        r"baltic assembly",
        r"presidency",
    ),
}

# When scores tie, the earlier area wins: specific portfolios before broad ones.
PRIORITY: tuple[str, ...] = (
    "health",
    "energy",
    "transport",
    "agriculture",
    "climate",
    "environment",
    "education",
    "research",
    "culture",
    "digital",
    "interior",
    "justice",
    "defence",
    "security",
    "social-affairs",
    "regional-development",
    "finance",
    "economy",
    "foreign-affairs",
    "governance",
)


_LITERAL = re.compile(r"[a-z0-9 ']*")


def _trie(entries: list[tuple[str, str]]) -> str:
    """An alternation of (literal prefix, rest) entries sharing their leading characters, trie-wise.

    `re` tries the alternatives of a group one after another; sharing prefixes makes it try only the
    stems that can still match, so a few hundred stems cost about what a handful would. Longer literal
    prefixes are tried first, so the most specific stem still wins.
    """
    children: dict[str, list[tuple[str, str]]] = {}
    here: list[str] = []
    for literal, rest in entries:
        if literal:
            children.setdefault(literal[0], []).append((literal[1:], rest))
        else:
            here.append(rest)
    branches = [
        re.escape(c) + (_trie(sub) if len(sub) > 1 else re.escape(sub[0][0]) + sub[0][1])
        for c, sub in sorted(children.items())
    ]
    return "(?:" + "|".join(branches + here) + ")"


@lru_cache(maxsize=1)
def _scanner() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern over all stems, sharing their literal prefixes; the most specific stem wins at a word start.

    A flat alternation of every stem made `re` try all of them at every word start (milliseconds per item);
    with prefixes shared it tries only those that can match, and one `finditer` keeps the loop in C.
    """
    pairs = sorted(
        ((stem, area) for area, stems in KEYWORDS.items() for stem in stems),
        key=lambda pair: -len(pair[0]),
    )
    groups = {f"k{i}": area for i, (_, area) in enumerate(pairs)}
    entries: list[tuple[str, str]] = []
    for i, (stem, _) in enumerate(pairs):
        body = stem.removeprefix(r"\b").lower() if stem.islower() else stem.removeprefix(r"\b")
        literal = _LITERAL.match(body.lower()).group(0) if body[:1].islower() else ""
        if literal and len(literal) < len(body) and body[len(literal)] in "?*{":
            literal = literal[:-1]  # "drones?": the last letter is optional, not part of the prefix
        entries.append((literal, f"(?P<k{i}>{body[len(literal) :]})"))
    return re.compile(rf"(?<![\w-]){_trie(entries)}", re.I), groups


@lru_cache(maxsize=4096)
def area_scores(text: str) -> Counter[str]:
    """Keyword hits per area in text (cached: section headings and titles repeat for every item)."""
    scores: Counter[str] = Counter()
    if not text:
        return scores
    pattern, groups = _scanner()
    for hit in pattern.finditer(text):
        if hit.lastgroup is not None:
            scores[groups[hit.lastgroup]] += 1
    return scores


def _best(scores: Counter[str], prefer: str | None) -> str | None:
    if not scores:
        return None
    top = max(scores.values())
    tied = [a for a, s in scores.items() if s == top]
    if prefer in tied:
        return prefer
    return min(tied, key=lambda a: PRIORITY.index(a) if a in PRIORITY else len(PRIORITY))


def _heading_subject(section: str) -> str:
    """The subject of a heading without its framing ("regarding ... cooperation of the Baltic States")."""
    s = re.sub(r"^(?:regarding|concerning|as regards|with regard to|on)\s+", "", section, flags=re.I)
    return re.sub(r"\b(?:of|in|between) the baltic states\b", "", s, flags=re.I)


def classify_policy_area(
    text: str,
    *,
    section: str | None = None,
    title: str | None = None,
    default: str | None = None,
) -> str | None:
    """The area of a commitment.

    Each keyword in the item counts 3; each in the section heading 1 (at most 2 per area,
    so a long heading cannot outvote what the item says); the title's area 1. Ties go to
    the heading's area, then to the more specific portfolio.
    """
    section_scores = area_scores(_heading_subject(section)) if section else Counter()
    section_area = _best(section_scores, None)
    title_area = _best(area_scores(title), None) if title else None
    scores: Counter[str] = Counter()
    for area, hits in area_scores(text).items():
        scores[area] += 3 * hits
    for area, hits in section_scores.items():
        scores[area] += min(hits, 2)
    if title_area is not None:
        scores[title_area] += 1
    return _best(scores, section_area) or default
