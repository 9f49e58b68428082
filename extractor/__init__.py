"""extractor: reads 部门整体支出绩效自评报告 and their annex tables, and checks their figures."""

__version__ = "0.1.0"
