"""A submission's documents -> one Extraction: narrative facts plus annex facts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .model import BlockKind, Coverage, Document, Extraction, Fact, Issue, NonQuantity
from .patterns import Patterns
from .readers import read_document


def merge_metadata(docs: Sequence[Document], narrative_meta: dict[str, str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for doc in docs:
        for key in ("title", "unit", "year"):
            if doc.metadata.get(key) and key not in meta:
                meta[key] = doc.metadata[key]
    meta.update({k: v for k, v in narrative_meta.items() if v})
    return meta


def document_outline(doc: Document) -> list[str]:
    """Headings and short standalone lines ("项目支出情况", "下一步改进措施"): what completeness checks read."""
    from .narrative.cell_sections import table_headings

    lines = [b.text.strip() for b in doc.blocks if b.kind is BlockKind.HEADING or len(b.text.strip()) <= 30]
    return lines + table_headings(doc)  # a report written in one big table: its left column


def extract_documents(docs: Sequence[Document], narrative: object | None = None,
                      patterns: Patterns | None = None) -> Extraction:
    """Narrative facts from every document's text, annex facts from every document's tables."""
    from .annex import annex_facts_and_issues
    from .annex.flat_rows import label_flat_rows
    from .narrative.coverage import unaccounted_issue
    from .narrative.facts import NarrativeExtractor
    from .narrative.remarks import explanation_sentences
    from .readers.ocr_marks import mark_ocr_facts

    extractor = narrative if narrative is not None else NarrativeExtractor(patterns)
    facts: list[Fact] = []
    non_quantities: list[NonQuantity] = []
    unaccounted: list[NonQuantity] = []
    issues: list[Issue] = []
    meta: dict[str, str] = {}
    runs = 0
    for doc in docs:
        result = extractor.extract(doc)  # type: ignore[attr-defined]
        facts.extend(label_flat_rows(doc, result.facts, patterns.annex if patterns else None))
        non_quantities.extend(result.non_quantities)
        unaccounted.extend(result.unaccounted)
        runs += result.digit_runs
        own = result.metadata if doc is docs[0] else {k: v for k, v in result.metadata.items() if k != "report_type"}
        meta = {**own, **{k: v for k, v in meta.items() if v}}  # the report (first file) says its type
        annex_facts, annex_warnings = annex_facts_and_issues(doc, patterns.annex if patterns else None)
        facts.extend(annex_facts)
        cells = extractor.read_cells(doc, annex_facts)  # type: ignore[attr-defined]
        facts.extend(cells.facts)
        non_quantities.extend(cells.non_quantities)
        unaccounted.extend(cells.unaccounted)
        runs += cells.digit_runs
        issue = unaccounted_issue(doc.source, [*result.unaccounted, *cells.unaccounted])
        if issue is not None:
            annex_warnings = [*annex_warnings, issue]
        issues.extend(doc.issues)
        issues.extend(annex_warnings)
    coverage = Coverage(
        digit_runs=runs,
        facts=len(facts),  # digit runs count table cells too (narrative.cells)
        non_quantities=len(non_quantities),
        unaccounted=len(unaccounted),
    )
    extraction = Extraction(
        sources=tuple(d.source for d in docs),
        metadata=merge_metadata(docs, meta),
        facts=tuple(facts),
        non_quantities=tuple(non_quantities),
        unaccounted=tuple(unaccounted),
        coverage=coverage,
        issues=tuple(issues),
        outline=tuple(line for doc in docs for line in document_outline(doc)),
        remarks=explanation_sentences(docs, patterns),
    )
    return mark_ocr_facts(extraction, docs)


def extract_files(paths: Sequence[Path], root: Path | None = None, patterns: Patterns | None = None) -> Extraction:
    """`patterns`: the run's bundle (None: the process's), for the readers' headings and the extraction."""
    headings = patterns.headings if patterns is not None else None
    return extract_documents([read_document(p, root, headings) for p in paths], patterns=patterns)
