"""Status reports as the spec has them: a ministry claims, an editor verifies or disputes, an admin corrects.

Pure rules: given who is asking, the assignment as it stands and the request, what the change is, or why not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ChangeKind = Literal["claim", "verification", "dispute", "admin"]
Verification = Literal["pending", "verified", "disputed"]

CLOSED = frozenset({"completed", "not_implemented", "superseded"})


class StatusRuleError(Exception):
    """A report the rules refuse; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Standing:
    """The assignment as it stands: who owes it and the state of its report."""

    country: str | None
    ministry: str | None
    body: str | None
    status: str
    verification: str | None


@dataclass(frozen=True)
class StatusChange:
    """The state after a report."""

    kind: ChangeKind
    status: str
    verification: str | None
    verified_status: str | None


def decide_status_change(
    role: str,
    caller_ministry: tuple[str, str] | None,
    standing: Standing,
    status: str,
    kind: ChangeKind | None,
) -> StatusChange:
    """Who may report what: ministries claim on their own assignments only; editors verify or dispute a claim
    (or record one on a ministry's behalf); admins may also set a status outright."""
    if role == "ministry":
        if (
            caller_ministry is None
            or standing.country is None
            or caller_ministry
            != (
                standing.country,
                standing.ministry,
            )
        ):
            raise StatusRuleError(403, "a ministry key may report only on its own country's and ministry's assignments")
        if kind not in (None, "claim"):
            raise StatusRuleError(403, "a ministry reports claims; verifying and disputing are for editors")
        kind = "claim"
    elif role not in ("editor", "admin"):
        raise StatusRuleError(403, "reporting a status needs an editor, admin or the assignment's ministry key")
    if kind == "admin" and role != "admin":
        raise StatusRuleError(403, "setting a status outright is for admins")
    if kind is None and standing.verification is None:
        kind = "claim"  # nothing reported yet: the secretariat records the ministry's report
    elif kind is None:
        kind = "verification" if status == standing.status else "dispute"
    if status == "not_reported" and kind != "admin":
        raise StatusRuleError(422, "not_reported means nobody has reported yet; it cannot be reported")
    match kind:
        case "claim":
            return StatusChange("claim", status, "pending", None)
        case "verification":
            if standing.verification is None:
                raise StatusRuleError(409, "there is no claim to verify yet")
            if status != standing.status:
                raise StatusRuleError(
                    422, f"a verification confirms the claimed status '{standing.status}'; use a dispute to differ"
                )
            return StatusChange("verification", standing.status, "verified", status)
        case "dispute":
            if standing.verification is None:
                raise StatusRuleError(409, "there is no claim to dispute yet")
            if status == standing.status:
                raise StatusRuleError(422, "a dispute names the status the editor finds instead of the claimed one")
            return StatusChange("dispute", standing.status, "disputed", status)
        case _:
            reported = status != "not_reported"
            return StatusChange("admin", status, "verified" if reported else None, status if reported else None)
