"""An allow-list check of generated scripts: every node of the syntax tree must be one a
codify script needs (imports of our API, assignments, calls into our API, literals)."""

from __future__ import annotations

import ast

ALLOWED_MODULES = {"authoring", "authoring.codifier.runtime", "authoring.iods", "authoring.parts",
                   "authoring.items",
                   "numpy", "pathlib", "hashlib", "sys"}
API_FUNCTIONS = {"Dataset", "DataElement", "Sequence", "PersonName", "DA", "TM", "DT", "DS",
                 "IS", "EncapsulatedPixelData", "write", "bulk", "bulk_array", "output_path",
                 "raw", "raw_sequence", "script_folder"}
METHODS = {"add", "add_new", "blank"}
ATTRIBUTES = {"undefined_length", "item_undefined_length", "preamble", "file_meta",
              "deflated_source"}
NODES = (ast.Module, ast.Expr, ast.ImportFrom, ast.Import, ast.alias, ast.Assign, ast.Call,
         ast.Name, ast.Constant, ast.Tuple, ast.List, ast.keyword, ast.Load, ast.Store,
         ast.Attribute, ast.Subscript, ast.UnaryOp, ast.USub)


def violations(source: str) -> list[str]:
    """What in ``source`` falls outside the allow-list (empty when the script is safe)."""
    tree = ast.parse(source)
    found: list[str] = []
    imported: set[str] = set()
    item_modules: set[str] = set()  # modules of item classes, imported from authoring.items
    for node in ast.walk(tree):
        where = f"line {getattr(node, 'lineno', '?')}"
        if not isinstance(node, NODES):
            found.append(f"{where}: {type(node).__name__} is not allowed")
            continue
        if isinstance(node, ast.ImportFrom):
            if node.module not in ALLOWED_MODULES or node.level:
                found.append(f"{where}: import from {node.module!r}")
            imported.update(alias.asname or alias.name for alias in node.names)
            if node.module == "authoring.items":
                item_modules.update(alias.name for alias in node.names)
            if any(alias.asname for alias in node.names):
                found.append(f"{where}: import renamed")
        elif isinstance(node, ast.Import):
            if any(alias.name not in ALLOWED_MODULES for alias in node.names):
                found.append(f"{where}: import of a module outside the allow-list")
        elif isinstance(node, ast.Expr) and not isinstance(node.value, (ast.Call, ast.Constant)):
            found.append(f"{where}: a bare expression")
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and \
                node is not tree.body[0]:
            found.append(f"{where}: a bare constant other than the docstring")
        elif isinstance(node, ast.UnaryOp) and not (
                isinstance(node.operand, ast.Constant)
                and isinstance(node.operand.value, (int, float))):
            found.append(f"{where}: a unary operation on something other than a number")
        elif isinstance(node, ast.Subscript) and not (
                isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant)):
            found.append(f"{where}: a subscript other than data_set[keyword or tag]")
        elif isinstance(node, ast.Name) and node.id.startswith("__") and node.id != "__file__":
            found.append(f"{where}: the name {node.id}")
    from authoring.dictionary.elements import all_keywords

    keywords = all_keywords()
    for node in ast.walk(tree):
        where = f"line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name):
                if function.id not in API_FUNCTIONS or function.id not in imported:
                    found.append(f"{where}: a call to {function.id}")
            elif isinstance(function, ast.Attribute):
                owner = function.value
                if (function.attr == "blank" and isinstance(owner, ast.Attribute)
                        and isinstance(owner.value, ast.Name)):
                    # an item class of an imported module of authoring.items
                    if owner.value.id not in imported:
                        found.append(f"{where}: blank() of {owner.value.id}.{owner.attr}")
                    continue
                if function.attr not in METHODS or not isinstance(owner, ast.Name):
                    found.append(f"{where}: a call to .{function.attr}")
                elif function.attr == "blank" and owner.id not in imported:
                    found.append(f"{where}: blank() of {owner.id}")
            else:
                found.append(f"{where}: a call of a computed function")
        elif isinstance(node, ast.Attribute) and not (
                node.attr in ATTRIBUTES or node.attr in METHODS or node.attr in keywords
                or (isinstance(node.value, ast.Name) and node.value.id in item_modules)):
            found.append(f"{where}: the attribute .{node.attr}")
    return found
