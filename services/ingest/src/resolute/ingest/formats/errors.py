"""Why a document could not be read; the API maps these to 415 or 422."""


class DocumentReadError(ValueError):
    """Base: the upload cannot become text."""


class UnsupportedFormat(DocumentReadError):
    """Not a format Resolute reads (415)."""


class EmptyDocument(DocumentReadError):
    """Nothing to read (422)."""
