"""Review and correction: the review gate of each upload, editors' corrections of the record, their events."""
