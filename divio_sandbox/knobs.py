"""The run-time switches of a sandbox: latency, chaos, filter mode and friends.

They live in one object shared by the server thread and the controlling thread; each is a plain
attribute replaced atomically, so ``Sandbox.configure`` and ``POST /_sandbox/configure`` can
change them while requests are being served.
"""

import math
from dataclasses import dataclass, fields
from typing import Any

#: Chaos fault kinds, in the order the chaos RNG picks from.
FAULTS = ("429", "502", "503", "drop", "slow")
#: The largest number any setting accepts: an hour of latency is already unusable.
MAX_SECONDS = 3600.0
#: Whole-number settings and their largest values (a terabyte of generated file is plenty).
_COUNTS = {
    "download_size": 2**40,
    "drop_downloads": 1000,
    "upload_max_size": 2**40,
    "reject_uploads": 1000,
}
#: The upload handlers the Divio API is known to offer (api-notes §6.12).
UPLOAD_HANDLERS = ("exo-presigned-v1", "az-sas-v1", "s3-sts-v1")


@dataclass(slots=True)
class Knobs:
    #: Seconds added to every API request (``asyncio.sleep``; the server stays concurrent).
    latency: float = 0.0
    #: Fraction (0..1) of API requests answered with a fault instead of the real response.
    chaos: float = 0.0
    #: The fault kinds chaos picks from, uniformly.
    faults: tuple[str, ...] = FAULTS
    #: Seconds a "slow" chaos fault waits before answering normally.
    slow_seconds: float = 2.0
    #: Value of ``Retry-After`` on chaos 429 responses, in seconds.
    retry_after: int = 1
    #: Ignore the filters no public source confirms (api-notes §4.3), as a server without them
    #: would.
    ignore_filters: bool = False
    #: Fraction (0..1) of newly created backups, deployments and restores that end unsuccessfully.
    failure_rate: float = 0.0
    #: Bytes of every database download (generated on the fly); 0 = a short stand-in file.
    download_size: int = 0
    #: How many of the next backup-file transfers are cut off half-way (then they work again).
    drop_downloads: int = 0
    #: Answer each backup download URL with a redirect (302) to the file's URL carrying an
    #: Azure-SAS-style signature query (``sv``, ``sr``, ``sp``, ``sig``), which the target checks:
    #: a pre-signed URL that leads to another pre-signed URL.
    redirect_downloads: bool = False
    #: The handler backup uploads are offered: ``exo-presigned-v1`` (a pre-signed PUT),
    #: ``az-sas-v1`` (an Azure blob URL with a SAS) or ``s3-sts-v1`` (temporary credentials).
    upload_handler: str = UPLOAD_HANDLERS[0]
    #: The ``max_file_size`` an ``exo-presigned-v1`` upload announces; 0 = 5 GiB.
    upload_max_size: int = 0
    #: How many of the next upload PUTs are refused (403, as an expired signature is).
    reject_uploads: int = 0

    def update(self, **changes: Any) -> None:
        """Validate and apply changes; unknown names and out-of-range values raise ValueError."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown sandbox setting(s): {', '.join(sorted(unknown))}")
        checked = {name: _check(name, value) for name, value in changes.items()}
        for name, value in checked.items():
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _check(name: str, value: Any) -> Any:
    if name in ("ignore_filters", "redirect_downloads"):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be a boolean")
        return value
    if name == "upload_handler":
        if value not in UPLOAD_HANDLERS:
            raise ValueError(f"upload_handler must be one of {', '.join(UPLOAD_HANDLERS)}")
        return value
    if name == "faults":
        faults = tuple(value)
        if not faults or any(f not in FAULTS for f in faults):
            raise ValueError(f"faults must be a non-empty subset of {FAULTS}")
        return faults
    if name in _COUNTS:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _COUNTS[name]:
            raise ValueError(f"{name} must be a whole number from 0 to {_COUNTS[name]}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number")
    if not math.isfinite(value) or value > MAX_SECONDS:
        raise ValueError(f"{name} must be a finite number up to {MAX_SECONDS:g}")
    if value < 0 or (name in ("chaos", "failure_rate") and value > 1):
        raise ValueError(f"{name} out of range: {value}")
    return int(value) if name == "retry_after" else float(value)
