"""Stage 2: one grammar of operative clauses, for every resolution whatever its publisher or layout.

An operative clause opens a paragraph (after any bullet, number, "The Assembly," or "also") with a verb of
the lexicon in the third person, in any case ("URGES", "Calls on", "recommends to"). Its object is the
addressee phrase; then comes one of:

- ":" and a list of items, each marked in any style ("- ", "a.", "(a)", "1)", "i.", a dash on its own
  line) or not marked at all, possibly under "regarding ...:" section headings, with sub-items folded
  into their item;
- a "to"-infinitive ("calls on the Government of Latvia to host ...") or a "that"-clause ("proposes to
  the Governments that they ..."): the paragraph is then one item, read whole, verb included.

Items inherit their clause's addressees and any event the clause names ("at their Summit meeting in
The Hague"). Clauses with a "note" verb ("Welcomes ...") end a list and yield nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from resolute.ingest.extraction.addressees import AddresseeContext, Addressees, read_addressees
from resolute.ingest.extraction.layout import Block, is_caps_line
from resolute.ingest.extraction.lexicon import VerbMatch, lexicon
from resolute.ingest.extraction.models import Deadline

ReadingKind = Literal["listed", "unmarked", "inline", "prose"]

_LEAD = re.compile(
    r"""^(?:(?:The|THE)\s+(?:[\w'\u2019-]+\s+){0,5}?
        (?:Assembly|Council|Conference|Parliament|Committee|Session|Forum|Summit)\s*,?\s+)?
    (?:(?:also|further|furthermore|therefore|strongly|firmly|once\s+again|again|finally|and|hereby|consequently|
        accordingly|in\s+addition|in\s+this\s+regard|in\s+particular|respectfully|earnestly|urgently)\s*,?\s+)*""",
    re.X | re.I,
)
_INFINITIVE = re.compile(
    r"(?<![\w-])to\s+(?!(?:the|a|an|this|that|these|those|its|their|our|his|her|all|both|each|every|any|some|"
    r"be\s+(?:held|found)|date|which|whom|what|such|more|other|one|two|three)\b)(?=[a-z])"
)
_THAT = re.compile(r"(?<![\w-])that\s+(?=[a-z])")
_TRAILING_LINK = re.compile(r"\s+(?:to|that)\s*$", re.I)
_OBJECT_TO = re.compile(r"^\s+to\s+(?=the\b|[A-Z])")
_SELF_OBJECT = re.compile(r"^\s*(?:itself|themselves|ourselves|herself|himself)\b", re.I)
_SECTION_OPENER = re.compile(
    r"^(?:regarding|concerning|as\s+regards|with\s+regard\s+to|with\s+respect\s+to|in\s+the\s+(?:field|area|sphere)s?"
    r"\s+of|on\s+the\s+issues?\s+of)\b",
    re.I,
)
_SIGNATURE = re.compile(r"^(?:For\s+the\s+|On\s+behalf\s+of\s+|Signed\s+(?:in|at|on)\b|Done\s+(?:in|at)\b)", re.I)
_ROMAN = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|x{1,3}|xi{1,3}|xiv|xv)$", re.I)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Clause:
    """An operative clause: its verb, its addressee phrase, and how its items follow."""

    verb: VerbMatch
    phrase: str
    body: Literal["list", "inline", "empty"]
    block: Block
    item_offset: int | None = None

    @property
    def self_addressed(self) -> bool:
        return self.verb.verb_class == "self"


@dataclass
class ItemReading:
    """Where one commitment is in the text and what the grammar knows of it."""

    span: tuple[int, int]
    text: str
    label: str | None
    section: str | None
    addressees: Addressees
    how: ReadingKind
    clause: str
    inherited: Deadline | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class ClauseContext:
    """What the grammar needs beyond the blocks: addressee reading and the issuer of self-addressed clauses."""

    addressees: AddresseeContext
    issuer: str | None = None
    inherited_deadline: Callable[[str], Deadline | None] | None = None
    warnings: list[str] = field(default_factory=list)


def parse_clause(block: Block, text: str) -> Clause | None:
    """The operative clause opening `block`, if it opens with one."""
    if block.table or block.heading or block.dateline:
        return None
    content = block.content
    if len(content) < 6 or len(content) > 3000:
        return None
    lead = _LEAD.match(content)
    pos = lead.end() if lead else 0
    verb = lexicon().verb_at(content, pos)
    if verb is None or verb.tense != "third":
        verb = _after_subject(content)
        if verb is None:
            return None
    rest = content[verb.end :]
    if verb.object_to:
        m = _OBJECT_TO.match(rest)
        if m is not None:
            rest = rest[m.end() :]
    if verb.verb_class == "note":
        joined = _joined_call(content, verb.end)
        if joined is None:
            return Clause(verb, "", "empty", block)
        verb, rest = joined, content[joined.end :]  # "Supports the initiative ... and calls on the parliaments to ..."
    if content.endswith(":"):
        phrase = _TRAILING_LINK.sub("", rest[:-1])
        return Clause(verb, phrase, "list", block)
    split = _item_start(rest, verb)
    if split is None:
        return Clause(verb, rest, "empty", block)
    # A clause without a list is its own single item: the whole paragraph without its number, verb
    # included ("Calls on the Governments of ... to conclude ..."); its addressees are the phrase before
    # the infinitive or "that".
    return Clause(verb, rest[:split], "inline", block, block.content_start)


_AND_VERB = re.compile(r"[,;]?\s+(?:and|also)\s+(?:also\s+|further\s+|therefore\s+)?(?=[a-z])")


def _joined_call(content: str, start: int) -> VerbMatch | None:
    """A later "and <call verb>" in a paragraph that opens with a note verb: the call is operative."""
    for m in _AND_VERB.finditer(content, start):
        verb = lexicon().verb_at(content, m.end())
        if verb is not None and verb.tense == "third" and verb.verb_class in ("call", "self"):
            return verb
    return None


_SUBJECT_WORD = re.compile(r"[\w'\u2019-]+\s+")


def _after_subject(content: str) -> VerbMatch | None:
    """ "The working group calls on ...": a short subject of its own, then the operative verb."""
    if not content.startswith(("The ", "THE ")):
        return None
    pos = 0
    for _ in range(6):
        word = _SUBJECT_WORD.match(content, pos)
        if word is None or "," in word.group(0) or ";" in word.group(0):
            return None
        pos = word.end()
        verb = lexicon().verb_at(content, pos)
        if verb is not None and verb.tense == "third" and verb.verb_class in ("call", "self"):
            return verb
    return None


def _item_start(rest: str, verb: VerbMatch) -> int | None:
    """Where a clause's single item begins: its "to"-infinitive or "that"-clause."""
    self_object = _SELF_OBJECT.match(rest) if verb.verb_class == "self" else None
    start = self_object.end() if self_object else 0
    candidates = [m.start() for m in (_INFINITIVE.search(rest, start), _THAT.search(rest, start)) if m is not None]
    return min(candidates) if candidates else None


def locate(text: str, words: str, start: int, end: int) -> int | None:
    """The source offset where `words` (cleaned text) begin within text[start:end], markup and spacing aside."""
    tokens = re.findall(r"[\w'\u2019-]+", words)[:6]
    if not tokens:
        return None
    pattern = r"[\s*_\\]*".join(re.escape(t) for t in tokens)
    m = re.compile(pattern).search(text, start, end)
    return m.start() if m else None


def read_items(blocks: list[Block], text: str, ctx: ClauseContext) -> tuple[list[ItemReading], list[Addressees]]:
    """Every item of every operative clause in `blocks` (one document), and each clause's addressees."""
    items: list[ItemReading] = []
    clauses: list[Addressees] = []
    parsed = [parse_clause(block, text) for block in blocks]  # each block read once, here
    i = 0
    while i < len(blocks):
        clause = parsed[i]
        if clause is None or clause.body == "empty":
            i += 1
            continue
        addressees = _clause_addressees(clause, ctx)
        clauses.append(addressees)
        inherited = _inherited(clause, ctx)
        if clause.body == "inline" and clause.item_offset is not None:
            items.append(
                ItemReading(
                    span=(clause.item_offset, clause.block.end),
                    text=clause.block.item_text,
                    label=_number(clause.block),
                    section=None,
                    addressees=addressees,
                    how="inline",
                    clause=clause.phrase,
                    inherited=inherited,
                )
            )
            i += 1
            continue
        listed, i = _list_items(blocks, parsed, i + 1, addressees, clause, inherited, ctx)
        items.extend(listed)
    return items, clauses


def _clause_addressees(clause: Clause, ctx: ClauseContext) -> Addressees:
    addressees = read_addressees(clause.phrase, ctx.addressees)
    if clause.self_addressed and not addressees.assigned and ctx.issuer:
        addressees.named.clear()
        addressees.add_body(ctx.issuer)
    if not addressees.resolved:
        ctx.warnings.append(f"no known addressee in clause: {clause.block.content[:120]}")
    return addressees


def _inherited(clause: Clause, ctx: ClauseContext) -> Deadline | None:
    """An event the clause itself names ("URGES ... at their Summit meeting in The Hague:") binds every item."""
    if ctx.inherited_deadline is None or not clause.phrase:
        return None
    return ctx.inherited_deadline(clause.phrase)


def _number(block: Block) -> str | None:
    return block.marker.label if block.marker is not None else None


def is_section_heading(block: Block) -> bool:
    """A heading inside the operative part: "regarding energy security:", a heading line, a title in capitals."""
    if block.marker is not None or block.table:
        return False
    content = block.clean
    if block.heading:
        return True
    if content.endswith(":") and len(content) < 300:
        return True
    if len(content) < 200 and not content.endswith((";", ".", ",")):
        return bool(_SECTION_OPENER.match(content)) or is_caps_line(content)
    return False


def _stops_list(block: Block, clause: Clause | None) -> bool:
    """What ends a list: another clause, a dateline, a signature, a preamble paragraph of a next text."""
    if block.dateline or _SIGNATURE.match(block.clean):
        return True
    if block.heading and block.heading <= 1:
        return True
    if clause is not None and (clause.body != "empty" or clause.verb.verb_class == "note"):
        return True
    return block.marker is None and lexicon().opens_preamble(block.clean) and block.clean.endswith((",", ";"))


def _style(label: str | None, bullet: str | None) -> str:
    if label is None:
        # Dashes of any length are one list (a list may switch from "-" to "\u2013" midway); other glyphs differ.
        return "bullet" if bullet in (None, "-", "\u2013", "\u2014") else f"bullet{bullet}"
    if label.isdigit():
        return "number"
    if _ROMAN.match(label) and len(label) > 1:
        return "roman"
    return "letter-upper" if label.isupper() else "letter"


def expected_label(index: int) -> str:
    """The n-th label of a lettered list: a..z, then aa, bb, ... zz."""
    return _LETTERS[index % 26] * (index // 26 + 1)


def normalise_label(raw: str, expected: str) -> str:
    """The label as written, repaired when OCR turned the expected "l" into "I" or "1"."""
    lowered = raw.lower()
    if lowered == expected:
        return expected
    if expected.replace("l", "i") == lowered.replace("l", "i") or (raw in ("I", "1", "|") and expected == "l"):
        return expected
    return lowered


@dataclass
class _Item:
    blocks: list[Block]
    label: str | None
    section: str | None
    style: str


def _list_items(
    blocks: list[Block],
    parsed: list[Clause | None],
    start: int,
    addressees: Addressees,
    clause: Clause,
    inherited: Deadline | None,
    ctx: ClauseContext,
) -> tuple[list[ItemReading], int]:
    """The items under a ":"-clause, and the index of the first block after them."""
    found: list[_Item] = []
    section: str | None = None
    list_style: str | None = None
    j = start
    while j < len(blocks):
        block = blocks[j]
        if block.table:
            j += 1
            continue
        if _stops_list(block, parsed[j]):
            break
        if is_section_heading(block):
            section = block.clean.rstrip(":").strip()
            list_style = None  # each section may mark its items its own way
            j += 1
            continue
        marker = block.marker
        if marker is None:
            if found and list_style is not None and not list_style.startswith("none"):
                if _is_sub_content(found[-1], block):
                    found[-1].blocks.append(block)
                    j += 1
                    continue
                break
            if found and found[-1].blocks[-1].clean.endswith("."):
                break
            found.append(_Item([block], None, section, "none"))
            list_style = list_style or "none"
            j += 1
            continue
        style = _style(marker.label, marker.bullet)
        label = marker.label
        expected = expected_label(sum(1 for f in found if f.style == "letter" and f.section == section))
        if list_style == "letter" and label is not None and normalise_label(label, expected) == expected:
            style = "letter"  # OCR's "I." or "1." where the sequence wants "l."
        elif list_style == "letter" and label is not None and _ROMAN.match(label):
            style = "roman"  # "i.", "ii." under a lettered item
        if list_style is None or list_style == "none":
            list_style = style if list_style is None else list_style
        if found and style != list_style and _opens_sublist(found[-1]) and found[-1].section == section:
            found[-1].blocks.append(block)
            j += 1
            continue
        if label is not None and style == "letter":
            normalised = normalise_label(label, expected)
            if normalised != expected:
                ctx.warnings.append(f"item label {label!r} out of sequence (expected {expected!r})")
            elif normalised != label.lower():
                ctx.warnings.append(f"item label {label!r} read as {normalised!r}")
            label = normalised
        found.append(_Item([block], label, section, style))
        j += 1
    if not found:
        ctx.warnings.append(f"operative clause without items: {clause.block.content[:120]}")
    return [_reading(item, addressees, clause, inherited) for item in found], j


def _opens_sublist(item: _Item) -> bool:
    """An item ending with ":" (or already holding sub-items) takes the next differently marked blocks."""
    return item.blocks[-1].clean.endswith(":") or len(item.blocks) > 1


def _is_sub_content(item: _Item, block: Block) -> bool:
    first = block.clean[:1]
    return _opens_sublist(item) or first.islower()


def _reading(item: _Item, addressees: Addressees, clause: Clause, inherited: Deadline | None) -> ItemReading:
    first, last = item.blocks[0], item.blocks[-1]
    words = " ".join([first.content] + [b.clean for b in item.blocks[1:]])
    return ItemReading(
        span=(first.content_start, last.end),
        text=words,
        label=item.label,
        section=item.section,
        addressees=addressees,
        how="unmarked" if first.marker is None else "listed",
        clause=clause.phrase,
        inherited=inherited,
    )
