"""Narrative extraction internals: scanning, spaCy spans, linking facts. Public API: extractor.narrative.facts (NarrativeExtractor)."""
