"""What ingest publishes (it consumes nothing): documents processed and the commitments in them.

Produced: document.processed.v1 (resolute.documents), commitment.extracted.v1 (resolute.commitments).
"""

from resolute.shared.events.catalogue import CommitmentExtractedV1, DocumentProcessedV1

PRODUCES = (DocumentProcessedV1, CommitmentExtractedV1)
