"""The commitments API's bodies. The public models live in `resolute.shared.api.commitments`, so the gateway
documents exactly what is served."""

from __future__ import annotations

from resolute.shared.api.commitments import CommitmentDetail, CommitmentOut, CommitmentPage

__all__ = ["CommitmentDetail", "CommitmentOut", "CommitmentPage"]
