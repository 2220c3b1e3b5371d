"""Documents: uploads, their text, and the commitments extracted from them."""
