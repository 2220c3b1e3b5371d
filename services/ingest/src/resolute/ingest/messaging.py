"""What ingest publishes (it consumes nothing): documents processed and the commitments in them.

Produced, all through the outbox in the upload's transaction:
- document.processed.v1 (resolute.documents, key: document id), with `supersedes` for a new version;
- commitment.extracted.v1 (resolute.commitments, key: commitment id) for every commitment of a stored
  version; a commitment carried over from the previous version keeps its id, so consumers update it;
- commitment.withdrawn.v1 (resolute.commitments, key: commitment id) for each commitment of the superseded
  version that the new version no longer states.
"""

from resolute.shared.events.catalogue import CommitmentExtractedV1, CommitmentWithdrawnV1, DocumentProcessedV1

PRODUCES = (DocumentProcessedV1, CommitmentExtractedV1, CommitmentWithdrawnV1)
