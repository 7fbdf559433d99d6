"""What a request handler gets: the store, the moment, the caller and where it called from."""

from dataclasses import dataclass
from datetime import datetime

from divio_sandbox.knobs import Knobs
from divio_sandbox.records import User
from divio_sandbox.store import Store


@dataclass(frozen=True, slots=True)
class Context:
    store: Store
    knobs: Knobs
    #: One instant per request, so one response never mixes two states of the same work.
    now: datetime
    #: Scheme, host and port the client used, e.g. ``http://127.0.0.1:8123`` (no trailing slash).
    base_url: str
    user: User

    def can_see(self, organisation: str) -> bool:
        return organisation in self.user.organisations
