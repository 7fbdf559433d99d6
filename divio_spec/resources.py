"""The second half of ``make generate``: index the generated operations and write typed resources.

openapi-python-client names its modules after operationIds and tags, which our reconstructed
spec had to guess and the published schema names differently. This step reads what the
generator wrote (with ``ast``, never importing it) and derives everything from what is
confirmed, the HTTP method and the path template of each operation:

* ``divio_api/operation_index.py``: ``(method, path) -> module`` for every operation; the
  seam (``divio_ext/core/operations.py``) finds operations there.
* ``divio_ext/_generated/resources.py``: resource classes named by REST structure, in the
  convention of openai-python and stripe's StripeClient (``client.backups.list(...)``,
  ``client.environments.copy(uuid, ...)``), sync and async, typed with the generated models;
  and the stable model names of ``divio_ext.core.contract.MODELS``.

Naming rules (``resource_and_method``): the first path segment after the API version is the
resource (``service-instance-backups`` -> ``service_instance_backups``); on the collection,
GET is ``list`` (``retrieve`` if not paginated) and POST ``create``; on ``{id}``, GET is
``retrieve``, PATCH ``update``, PUT ``replace``, DELETE ``delete``; any further segments name an
action (``/environments/{uuid}/copy/`` -> ``environments.copy(uuid)``).
"""

from __future__ import annotations

import ast
import importlib.util
import keyword
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTRACT = REPO_ROOT / "divio_ext" / "core" / "contract.py"
INDEX_MODULE = "operation_index.py"
PAGING = ("page", "page_size")
#: Handwritten mixins that add lookups to a generated resource: (module, sync, async) classes.
MIXINS = {
    "applications": (
        "divio_ext.resources.lookups",
        "ApplicationLookups",
        "AsyncApplicationLookups",
    ),
}


@dataclass
class Param:
    name: str
    annotation: str
    default: str | None  # None: required


@dataclass
class Operation:
    method: str
    path: str
    module: str
    path_params: list[Param]
    query_params: list[Param]
    body: Param | None
    returns: str
    summary: str
    resource: str = ""
    name: str = ""
    item: str | None = None  # item model of a paginated list
    fields: list[Param] | None = None  # request model fields, when the body is flattened
    body_model: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def paginated(self) -> bool:
        return self.item is not None

    @property
    def filters(self) -> list[Param]:
        return [p for p in self.query_params if p.name not in PAGING]


@dataclass
class Package:
    """What the generated package holds: operations, and where each model is defined."""

    root: Path
    operations: list[Operation] = field(default_factory=list)
    models: dict[str, Path] = field(default_factory=dict)

    def model_fields(self, name: str) -> list[Param] | None:
        """The attrs fields of a generated model, in order (``None`` if it is not a model)."""
        path = self.models.get(name)
        if path is None:
            return None
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                found: list[Param] = []
                for item in node.body:
                    if not isinstance(item, ast.AnnAssign) or not isinstance(item.target, ast.Name):
                        continue
                    if item.target.id == "additional_properties":
                        continue
                    default = None if item.value is None else ast.unparse(item.value)
                    found.append(Param(item.target.id, ast.unparse(item.annotation), default))
                return found
        return None


# --- reading the generated package ----------------------------------------------------------


def _literal_kwargs(function: ast.FunctionDef) -> tuple[str, str] | None:
    """``(method, url template)`` from the dict a generated ``_get_kwargs`` returns."""
    for node in ast.walk(function):
        if not isinstance(node, ast.Dict):
            continue
        entries = {
            key.value: value
            for key, value in zip(node.keys, node.values, strict=True)
            if isinstance(key, ast.Constant) and isinstance(key.value, str)
        }
        method, url = entries.get("method"), entries.get("url")
        if not isinstance(method, ast.Constant) or url is None:
            continue
        if isinstance(url, ast.Call) and isinstance(url.func, ast.Attribute):
            url = url.func.value  # "/apps/v3/x/{uuid}/".format(...)
        if isinstance(url, ast.Constant) and isinstance(url.value, str):
            return str(method.value).upper(), url.value
    return None


def _params(function: ast.FunctionDef) -> tuple[list[Param], list[Param], Param | None]:
    def annotation(arg: ast.arg) -> str:
        return ast.unparse(arg.annotation) if arg.annotation is not None else "Any"

    positional = [Param(a.arg, annotation(a), None) for a in function.args.args]
    keywords: list[Param] = []
    body: Param | None = None
    for arg, default in zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True):
        if arg.arg == "client":
            continue
        param = Param(arg.arg, annotation(arg), None if default is None else ast.unparse(default))
        if arg.arg == "body":
            body = param
        else:
            keywords.append(param)
    return positional, keywords, body


def _returned(function: ast.FunctionDef) -> str:
    """``X`` of ``-> Response[X]``."""
    returns = function.returns
    if isinstance(returns, ast.Subscript):
        return ast.unparse(returns.slice)
    return "Any"


def read_package(root: Path) -> Package:
    """Every operation module and model of the generated package at ``root``."""
    package = Package(root)
    init = ast.parse((root / "models" / "__init__.py").read_text(encoding="utf-8"))
    # Every ``from .module import Model`` of the models package, at the top or (imported on
    # first use) under ``if TYPE_CHECKING:``.
    for node in ast.walk(init):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 1:
            for alias in node.names:
                package.models[alias.name] = root / "models" / f"{node.module}.py"
    for path in sorted((root / "api").rglob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        kwargs, detailed = functions.get("_get_kwargs"), functions.get("sync_detailed")
        if kwargs is None or detailed is None:
            continue
        found = _literal_kwargs(kwargs)
        if found is None:
            raise SystemExit(f"{path}: cannot read the method and path of this operation")
        path_params, query_params, body = _params(detailed)
        docstring = ast.get_docstring(detailed) or ""
        relative = path.relative_to(root.parent).with_suffix("")
        package.operations.append(
            Operation(
                method=found[0],
                path=found[1],
                module=".".join(relative.parts),
                path_params=path_params,
                query_params=query_params,
                body=body,
                returns=_returned(detailed),
                summary=docstring.strip().splitlines()[0] if docstring.strip() else "",
            )
        )
    return package


# --- naming by REST structure ---------------------------------------------------------------


def _snake(segment: str) -> str:
    name = re.sub(r"[^0-9a-zA-Z]+", "_", segment).strip("_").lower()
    return f"{name}_" if keyword.iskeyword(name) or not name else name


def _segments(path: str) -> tuple[str, list[str]]:
    """The API family (``apps``, ``iam``) and the segments after its version."""
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and re.fullmatch(r"v\d+", parts[1]):
        return parts[0], parts[2:]
    return "", parts


def resource_and_method(method: str, path: str, paginated: bool) -> tuple[str, str] | None:
    """``(resource attribute, method name)`` for an operation, or None (the API root)."""
    _, segments = _segments(path)
    if not segments or segments[0].startswith("{"):
        return None
    resource, rest = _snake(segments[0]), segments[1:]
    verb = method.lower()
    if not rest:
        names = {"get": "list" if paginated else "retrieve", "post": "create"}
        return resource, names.get(verb, f"{verb}_all")
    if len(rest) == 1 and rest[0].startswith("{"):
        names = {"get": "retrieve", "patch": "update", "put": "replace", "delete": "delete"}
        return resource, names.get(verb, verb)
    action = "_".join(_snake(s) for s in rest if not s.startswith("{"))
    return resource, action


def assign_names(package: Package) -> list[Operation]:
    """Name every operation; the same name twice on a resource gets the HTTP verb appended."""
    named: list[Operation] = []
    for op in package.operations:
        op.item = _page_item(package, op)
        found = resource_and_method(op.method, op.path, op.paginated)
        if found is None:
            continue
        op.resource, op.name = found
        named.append(op)
    seen: dict[tuple[str, str], list[Operation]] = {}
    for op in named:
        seen.setdefault((op.resource, op.name), []).append(op)
    for clashing in seen.values():
        if len(clashing) > 1:
            for op in clashing:
                op.name = f"{op.name}_{op.method.lower()}"
    return sorted(named, key=lambda op: (op.resource, op.name))


def _page_item(package: Package, op: Operation) -> str | None:
    """The item model of a DRF page (``results: list[Item]``), if ``op`` is a paged list."""
    names = {p.name for p in op.query_params}
    if op.method != "GET" or not set(PAGING) <= names:
        return None
    fields = package.model_fields(op.returns) or []
    for f in fields:
        if f.name == "results":
            match = re.fullmatch(r"list\[(\w+)\]", f.annotation)
            return match.group(1) if match else None
    return None


# --- writing --------------------------------------------------------------------------------


def index_source(package: Package) -> str:
    lines = [
        '"""Every operation of this package by HTTP method and path template.',
        "",
        "Written by ``make generate`` (divio_spec/resources.py), never by hand. divio-ext's",
        "seam finds operations here, so it depends on no operationId, tag or module name.",
        '"""',
        "",
        "OPERATIONS: dict[tuple[str, str], str] = {",
    ]
    for op in sorted(package.operations, key=lambda o: o.key):
        lines.append(f"    ({op.method!r}, {op.path!r}): {op.module!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _annotation(text: str) -> str:
    """Annotations used inside a class that has a method called ``list``."""
    return re.sub(r"(?<![\w.])list\[", "builtins.list[", text)


def _flatten(package: Package, op: Operation) -> None:
    """Offer the request model's fields as keyword arguments when that is unambiguous."""
    if op.body is None:
        return
    members = [m.strip() for m in op.body.annotation.split("|")]
    models = [m for m in members if m != "Unset"]
    if len(models) != 1 or models[0] not in package.models:
        return
    fields = package.model_fields(models[0])
    if fields is None:
        return
    optional_body = op.body.default is not None
    clashes = {p.name for p in op.path_params + op.query_params} & {f.name for f in fields}
    if clashes or (optional_body and any(f.default is None for f in fields)):
        return
    op.fields, op.body_model = fields, models[0]


def _signature(op: Operation, asynchronous: bool) -> str:
    parts = ["self"]
    parts += [f"{p.name}: {_annotation(p.annotation)}" for p in op.path_params]
    keywords: list[str] = []
    if op.paginated:
        keywords += [f"{p.name}: {_annotation(p.annotation)} = UNSET" for p in op.filters]
        keywords += [
            "page_size: int | None = None",
            "limit: int | None = None",
            f"concurrency: int = {'ASYNC' if asynchronous else 'SYNC'}_CONCURRENCY",
        ]
    else:
        for p in op.query_params:
            default = f" = {p.default}" if p.default is not None else ""
            keywords.append(f"{p.name}: {_annotation(p.annotation)}{default}")
        if op.fields is not None:
            required = [f for f in op.fields if f.default is None]
            optional = [f for f in op.fields if f.default is not None]
            keywords += [f"{f.name}: {_annotation(f.annotation)}" for f in required]
            keywords += [f"{f.name}: {_annotation(f.annotation)} = {f.default}" for f in optional]
        elif op.body is not None:
            default = f" = {op.body.default}" if op.body.default is not None else ""
            keywords.append(f"body: {_annotation(op.body.annotation)} | Mapping[str, Any]{default}")
    if keywords:
        parts.append("*")
        parts += keywords
    return ", ".join(parts)


def _docstring(op: Operation, package: Package, indent: str) -> list[str]:
    lines = [f"{op.summary or op.name} ({op.method} {op.path})"]
    if op.paginated:
        item_fields = {f.name for f in package.model_fields(op.item or "") or []}
        checked = [p.name for p in op.filters if p.name in item_fields]
        sent = [p.name for p in op.filters if p.name not in item_fields]
        lines.append("")
        lines.append("A lazy pager; filters are sent to the server, and the pager also checks")
        lines.append("these on every item (a server may ignore a filter): ")
        lines[-1] += ", ".join(checked) or "none"
        if sent:
            lines.append(f"Sent only (not a field of the items): {', '.join(sent)}.")
    body = [f"{indent}{line}".rstrip() for line in lines]
    body[0] = f'{indent}"""{lines[0]}'
    return [*body, f'{indent}"""']


def _call_arguments(op: Operation) -> str:
    parts = [f"{p.name}={p.name}" for p in op.path_params + op.query_params]
    if op.fields is not None:
        fields = ", ".join(f"{f.name}={f.name}" for f in op.fields)
        parts.append(f"body=models.{op.body_model}({fields})")
    elif op.body is not None:
        parts.append("body=body")
    return ", ".join(parts)


def _method(op: Operation, package: Package, asynchronous: bool, endpoint: str) -> list[str]:
    indent = "        "
    if op.paginated:
        pager = "AsyncPager" if asynchronous else "Pager"
        filters = ", ".join(f"{p.name}={p.name}" for p in op.filters)
        head = f"    def {op.name}({_signature(op, asynchronous)}) -> {pager}[{op.item}]:"
        body = [
            f"{indent}return cast(",
            f'{indent}    "{pager}[{op.item}]",',
            f"{indent}    self._client.paginate(",
            f"{indent}        {endpoint},",
            f"{indent}        page_size=page_size,",
            f"{indent}        limit=limit,",
            f"{indent}        concurrency=concurrency,",
            f"{indent}        **given({filters}),",
            f"{indent}    ),",
            f"{indent})",
        ]
    else:
        prefix = "async def" if asynchronous else "def"
        returns = _annotation(op.returns)
        head = f"    {prefix} {op.name}({_signature(op, asynchronous)}) -> {returns}:"
        wait = "await " if asynchronous else ""
        arguments = _call_arguments(op)
        call = f"{wait}self._client.call({endpoint}{', ' + arguments if arguments else ''})"
        body = [f'{indent}return cast("{returns}", {call})']
    return [head, *_docstring(op, package, indent), *body, ""]


def _contract() -> ModuleType:
    """``divio_ext/core/contract.py``, loaded by path: it must not import the generated client."""
    spec = importlib.util.spec_from_file_location("divio_contract", CONTRACT)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {CONTRACT}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building classes
    spec.loader.exec_module(module)
    return module


def _model_of(package: Package, ops: dict[tuple[str, str], Operation], key: tuple[str, str]) -> str:
    op = ops.get(key)
    if op is None:
        return ""
    candidate = op.item or op.returns
    return candidate if candidate in package.models else ""


def _header(title: str, code: list[str], imports: list[str]) -> list[str]:
    text = "\n".join(code)
    type_only = [line.removeprefix(TYPE_ONLY) for line in imports if line.startswith(TYPE_ONLY)]
    imports = [line for line in imports if not line.startswith(TYPE_ONLY)]
    if type_only:
        imports += ["", "if TYPE_CHECKING:", *[f"    {line}" for line in type_only]]
    standard = [
        ("import builtins", "builtins."),
        ("import datetime", "datetime."),
        ("from collections.abc import Mapping", "Mapping["),
    ]
    typing_names = [n for n in ("Any", "TypeAlias", "cast") if re.search(rf"\b{n}\b", text)]
    if type_only:
        typing_names.insert(0, "TYPE_CHECKING")
    lines = [
        f'"""{title}',
        "",
        "Written by ``make generate`` (divio_spec/resources.py) from the generated client:",
        "never edit it by hand; ``make check-generated`` fails when it is out of date.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    lines += [statement for statement, marker in standard if marker in text]
    if typing_names:
        lines.append(f"from typing import {', '.join(typing_names)}")
    lines.append("")
    lines += imports
    return [*lines, "", *code]


#: Marks an import line that the module needs for the type checker only.
TYPE_ONLY = "# type-only: "


def _divio_api_imports(package: Package, text: str) -> list[str]:
    """What the resources module imports from the generated package.

    Models appear in annotations, ``cast`` strings and, for request bodies, as
    ``models.Name(...)``: so the module imports the models package (which loads each model on
    first use) and names the models for the type checker only, and importing divio-ext does not
    build every model class.
    """
    used = _names_in_code(text)
    models = sorted(n for n in used | _cast_names(text) if n in package.models)
    types_ = sorted(n for n in used if n in {"UNSET", "Unset", "File"})
    found = []
    if "models" in used:
        found.append("from divio_api import models")
    if types_:
        found.append(f"from divio_api.types import {', '.join(types_)}")
    if models:
        found.append(f"{TYPE_ONLY}from divio_api.models import {', '.join(models)}")
    return found


def _cast_names(text: str) -> set[str]:
    """The names inside the quoted types of ``cast("Pager[Backup]", ...)``."""
    return {
        name
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "cast"
        if node.args and isinstance(node.args[0], ast.Constant)
        for name in _names_in_code(str(node.args[0].value))
    }


def _names_in_code(text: str) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Name)}


def models_source(package: Package) -> str:
    """The stable model names of ``divio_ext.core.contract.MODELS``, bound to generated classes."""
    contract = _contract()
    by_key = {op.key: op for op in package.operations}
    for op in package.operations:
        op.item = _page_item(package, op)
    code = [
        "__all__ = [",
        *[f'    "{alias}",' for alias in sorted(contract.MODELS)],
        "]",
        "",
        "# Each name is the model of the operation in its comment (for a list: of its items);",
        "# Any where this spec lacks that operation.",
    ]
    for alias, endpoint in sorted(contract.MODELS.items()):
        target = _model_of(package, by_key, (endpoint.method, endpoint.path))
        code.append(f"{alias}: TypeAlias = {f'models.{target}' if target else 'Any'}  # {endpoint}")
    title = "The generated models divio-ext works with, under names that do not depend on the spec."
    return "\n".join(_header(title, code, ["from divio_api import models"])) + "\n"


def resources_source(package: Package) -> tuple[str, list[str]]:
    """The resources module, and the contract's operations the package lacks."""
    contract = _contract()
    named = assign_names(package)
    for op in named:
        _flatten(package, op)
    present = {op.key for op in package.operations}
    missing = sorted(str(e) for e in contract.REQUIRED if (e.method, e.path) not in present)
    code: list[str] = []
    constants: dict[tuple[str, str], str] = {}
    for op in named:
        constant = f"_{op.resource}_{op.name}".upper()
        constants[op.key] = constant
        code.append(f"{constant} = Endpoint({op.method!r}, {op.path!r})")
    resources = sorted({op.resource for op in named})
    mixin_imports: list[str] = []
    for asynchronous in (False, True):
        base = "AsyncResource" if asynchronous else "SyncResource"
        for resource in resources:
            cls = _class_name(resource, asynchronous)
            bases = [base]
            if resource in MIXINS:
                module, sync_mixin, async_mixin = MIXINS[resource]
                mixin = async_mixin if asynchronous else sync_mixin
                mixin_imports.append(f"from {module} import {mixin}")
                bases.insert(0, mixin)
            ops = [op for op in named if op.resource == resource]
            code += ["", ""]
            code.append(f"class {cls}({', '.join(bases)}):")
            flavour = "awaitables and async pagers" if asynchronous else "results and pagers"
            code.append(f'    """``client.{resource}``: {flavour}."""')
            code.append("")
            for op in ops:
                code += _method(op, package, asynchronous, constants[op.key])
            code.pop()
        code += ["", ""]
        holder = "AsyncResources" if asynchronous else "SyncResources"
        caller = "AsyncCaller" if asynchronous else "SyncCaller"
        code.append(f"class {holder}:")
        code.append(
            '    """Every resource of the spec as an attribute; the client mixes this in."""'
        )
        code.append("")
        for resource in resources:
            code.append(f"    {resource}: {_class_name(resource, asynchronous)}")
        code.append("")
        code.append(f"    def _attach_resources(self, client: {caller}) -> None:")
        for resource in resources:
            code.append(f"        self.{resource} = {_class_name(resource, asynchronous)}(client)")
        if not resources:
            code.append("        return")
    text = "\n".join(code)
    imports = _divio_api_imports(package, text)
    imports += [
        "",
        "from divio_ext.core.contract import Endpoint",
        "from divio_ext.core.paginate import (",
        "    ASYNC_CONCURRENCY,",
        "    SYNC_CONCURRENCY,",
        "    AsyncPager,",
        "    Pager,",
        ")",
        "from divio_ext.resources.base import (",
        "    AsyncCaller,",
        "    AsyncResource,",
        "    SyncCaller,",
        "    SyncResource,",
        "    given,",
        ")",
        *sorted(set(mixin_imports)),
    ]
    title = "Typed resources named by REST structure: ``client.backups.list(...)`` and the like."
    return "\n".join(_header(title, code, imports)) + "\n", missing


def _class_name(resource: str, asynchronous: bool) -> str:
    name = "".join(part.capitalize() for part in resource.split("_"))
    return f"Async{name}" if asynchronous else name


def write(package_root: Path, output: Path) -> list[str]:
    """Write the index into the package, and the models and resources modules into ``output``.

    Returns the contract's operations (method and path) that the package lacks.
    """
    package = read_package(package_root)
    (package_root / INDEX_MODULE).write_text(index_source(package), encoding="utf-8")
    output.mkdir(parents=True, exist_ok=True)
    (output / "__init__.py").write_text(
        '"""Code written by ``make generate``; see divio_spec/resources.py."""\n',
        encoding="utf-8",
    )
    (output / "models.py").write_text(models_source(package), encoding="utf-8")
    source, missing = resources_source(package)
    (output / "resources.py").write_text(source, encoding="utf-8")
    return missing
