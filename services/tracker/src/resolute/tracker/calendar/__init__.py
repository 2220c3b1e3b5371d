"""The institutional calendar: occurrences learnt from documents, confirmed by admins, projected from cadence."""
