"""An in-memory table of records with uuid-ordered indexes on chosen fields.

Listing must cost O(page), not O(rows), even with 50 000 backups, so every table keeps, for each
indexed field value, the uuids of its rows in sorted order. Sorting by uuid also gives the
"stable but not chronological" order the sandbox promises: ids are random, so clients cannot
lean on list order.
"""

from bisect import insort
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Generic, Protocol, TypeVar


class HasUuid(Protocol):
    @property
    def uuid(self) -> str: ...


R = TypeVar("R", bound=HasUuid)


class Table(Generic[R]):
    """Rows keyed by uuid, with sorted uuid lists per value of each indexed field."""

    def __init__(self, indexed: Iterable[str] = ()) -> None:
        self.rows: dict[str, R] = {}
        self._all: list[str] = []
        self._index: dict[str, dict[str, list[str]]] = {name: {} for name in indexed}

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, uuid: str) -> R | None:
        return self.rows.get(uuid)

    def add(self, row: R) -> R:
        """Insert one row, keeping every index sorted."""
        self.rows[row.uuid] = row
        insort(self._all, row.uuid)
        for name, index in self._index.items():
            insort(index.setdefault(getattr(row, name), []), row.uuid)
        return row

    def extend(self, rows: Iterable[R]) -> None:
        """Insert many rows at once, sorting each index once (fast bulk seeding)."""
        touched: set[tuple[str, str]] = set()
        for row in rows:
            self.rows[row.uuid] = row
            self._all.append(row.uuid)
            for name, index in self._index.items():
                value = getattr(row, name)
                index.setdefault(value, []).append(row.uuid)
                touched.add((name, value))
        self._all.sort()
        for name, value in touched:
            self._index[name][value].sort()

    def select(
        self, equals: Mapping[str, str], where: Callable[[R], bool] | None = None
    ) -> Sequence[str]:
        """Return the sorted uuids of rows whose fields equal ``equals`` and that pass ``where``.

        The shortest matching index is scanned; when it alone answers the query, the index itself
        is returned (no copy), so callers can slice one page out of it in O(page).
        """
        candidates: Sequence[str] = self._all
        chosen: str | None = None
        for name, value in equals.items():
            index = self._index.get(name)
            if index is None:
                continue
            uuids = index.get(value, [])
            if chosen is None or len(uuids) < len(candidates):
                candidates, chosen = uuids, name
        rest = {name: value for name, value in equals.items() if name != chosen}
        if not rest and where is None:
            return candidates
        rows = self.rows
        return [
            uuid
            for uuid in candidates
            if all(getattr(rows[uuid], name) == value for name, value in rest.items())
            and (where is None or where(rows[uuid]))
        ]
