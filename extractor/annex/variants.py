"""Provincial layouts: Hunan (the default), the national 项目支出绩效自评表, Yunnan (指标性质 |
指标值 | 度量单位), Sichuan (调整后预算数, 权重, 预算执行率), Chongqing (执行率权重, 得分系数,
指标权重). Their columns are all in patterns/annex.toml and read into the same labels;
the variant only names the layout in each fact's rule_id ("annex.self_eval_yunnan.…").
"""

from __future__ import annotations

from ..model import Table
from .spec import AnnexSpec

NATIONAL = "project_self_eval"


def detect_variant(table: Table, spec: AnnexSpec) -> str:
    """yunnan / sichuan / chongqing by header words; "" for the Hunan or national layout."""
    keys = [spec.key(c.text) for c in table.cells if c.text.strip() and len(c.text) < 30]
    best, best_hits = "", 0
    for name, words in spec.variants.items():
        hits = sum(1 for word in words if any(word in key for key in keys))
        if hits > best_hits:
            best, best_hits = name, hits
    return best


def layout_name(kind: str, table: Table, spec: AnnexSpec) -> str:
    """basic_data, self_eval, project_self_eval, or e.g. self_eval_yunnan."""
    variant = detect_variant(table, spec)
    return f"{kind}_{variant}" if variant else kind
