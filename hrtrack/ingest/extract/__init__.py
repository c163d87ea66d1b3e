"""The statement extractor: a statement about a human-rights dialogue (text, HTML or PDF) to a
``statement/1`` record. See ``extractor.extract``."""

from .extractor import Extraction, empty_record, extract, extract_statement

__all__ = ["Extraction", "empty_record", "extract", "extract_statement"]
