"""The package's imports go one way: no cycle, and no module imports a layer above its own.

Layers, bottom-up (a module may import its own layer and the ones below):

0 base       errors, model, numbers, serialize, datafiles, vocabulary (reviewer words),
             the package (__version__)
1 patterns   patterns (the Patterns bundle: every file of patterns/ validated once)
2 readers    readers/  (one reader per format; headings from the bundle)
3 extraction narrative/, annex/, extract  (figures in text and in annex tables, into one Extraction)
4 checks     checks/  (the rule registry and its kinds)
5 report     report/  (findings and the reviewer's files)
6 assembly   pipeline  (one submission: read, extract, check, findings);
             annotate/ (the returned files marked from the findings, and the letter)
7 batch      batch/  (many submissions in worker processes)
8 cli        cli, __main__, the package itself

Imports under `if TYPE_CHECKING:` are annotations, not dependencies, and are not counted.
One documented exception: patterns.load_patterns, the bundle's assembler, imports each
piece's loader from the layer that owns the piece (headings, annex spec, check and scoring
rules, grouping vocabulary), inside the function; no piece imports it at module level.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"
LAYERS = {
    "errors": 0, "model": 0, "numbers": 0, "serialize": 0, "datafiles": 0, "vocabulary": 0,
    "patterns": 1, "readers": 2, "narrative": 3, "annex": 3, "checks": 4,
    "report": 5, "extract": 3, "pipeline": 6, "annotate": 6, "batch": 7, "cli": 8, "__main__": 8, "": 0,
}
ASSEMBLER = ("extractor.patterns", {
    "extractor.readers.structure", "extractor.annex.spec", "extractor.checks", "extractor.batch.vocabulary",
})


def module_name(path: Path) -> str:
    parts = ["extractor", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1] if len(parts) > 1 else ""]


def resolve(module: str, is_package: bool, node: ast.ImportFrom, modules: set[str]) -> list[str]:
    """The extractor modules an import names: `from x import y` names submodule x.y when
    there is one, else x itself."""
    if node.level:
        base = module.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - node.level + 1]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    subs = [f"{target}.{alias.name}" for alias in node.names]
    return [s for s in subs if s in modules] + ([target] if any(s not in modules for s in subs) else [])


def type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skipped


def imports() -> dict[str, list[tuple[str, bool]]]:
    """module -> [(imported extractor module, at module level)]."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, list[tuple[str, bool]]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped, top = type_checking_nodes(tree), {id(n) for n in tree.body}
        found = []
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.ImportFrom):
                targets = resolve(name, path.name == "__init__.py", node, set(modules))
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            found += [(t, id(node) in top) for t in targets if t in modules and t != name]
        graph[name] = found
    return graph


def test_no_import_cycle_at_module_level():
    graph = {m: sorted({t for t, top in edges if top}) for m, edges in imports().items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        for target in graph[module]:
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target, [*stack, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_no_module_imports_a_layer_above_it():
    upward = []
    for module, edges in imports().items():
        for target, _ in edges:
            if layer(target) <= layer(module):
                continue
            if module == ASSEMBLER[0] and target in ASSEMBLER[1]:
                continue
            upward.append(f"{module} -> {target}")
    assert not upward, "imports of a higher layer: " + ", ".join(sorted(upward))


def test_the_layer_table_names_every_room():
    rooms = {p.name.removesuffix(".py") for p in PACKAGE.iterdir() if p.suffix == ".py" or p.is_dir()}
    rooms -= {"__pycache__", "__init__"}
    assert rooms <= set(LAYERS), sorted(rooms - set(LAYERS))


def test_reading_one_file_imports_no_batch_machinery():
    """`read`/`check`/`extract` load the patterns, whose grouping piece lives in batch/vocabulary.py:
    that must not bring in the runner, the pool, the database, multiprocessing or sqlite3."""
    import subprocess
    import sys

    sample = PACKAGE.parent / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.docx"
    code = (
        "import contextlib, io, sys\n"
        "from extractor import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert cli.main(['read', {str(sample)!r}]) == 0\n"
        "heavy = ('extractor.batch.', 'sqlite3', 'multiprocessing')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy) and m != 'extractor.batch.vocabulary'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
