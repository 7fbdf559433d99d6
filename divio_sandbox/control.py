"""``/_sandbox/``: endpoints that are not part of the Divio API.

They need no token and are never subject to latency or chaos. A web page the user visits must
not be able to drive them: every one answers only requests whose ``Host`` is a loopback name
(a DNS-rebinding page sends its own host name), and the ones that change state accept only
``Content-Type: application/json`` (which a cross-origin page cannot send without a CORS
preflight, which the sandbox does not grant). Values are checked before anything changes.

* ``GET /_sandbox/`` settings, seed, clock mode and time
* ``POST /_sandbox/configure`` JSON with any of latency, chaos, faults, slow_seconds,
  retry_after, ignore_filters, failure_rate, download_size, drop_downloads, redirect_downloads,
  upload_handler, upload_max_size, reject_uploads; answers the new settings (400 on bad values)
* ``POST /_sandbox/reset`` back to the state right after start (data, clock, settings, stats)
* ``GET /_sandbox/clock``, ``POST /_sandbox/clock/advance`` with ``{"seconds": n}``
* ``GET /_sandbox/stats``, ``POST /_sandbox/stats/reset`` request counters
* ``GET /_sandbox/downloads/<id>`` the file of a ready backup download (no auth, like the real
  pre-signed URLs; ``Range`` requests, ``download_size`` and ``drop_downloads`` settings;
  ``redirect_downloads`` sends it on to itself with a signature query first, which it checks);
  ``PUT /_sandbox/uploads/<id>/`` and ``POST /_sandbox/uploads/<id>/finish/``
  complete an uploaded backup (signed URLs, no auth; the ``upload_handler``,
  ``upload_max_size`` and ``reject_uploads`` settings; an ``s3-sts-v1`` upload's file is read
  at finish from ``Runtime.object_store``); ``GET /_sandbox/receipts/<id>[.pdf]``
  an invoice receipt
"""

import base64
import hashlib
import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from divio_sandbox import actions
from divio_sandbox import serializers as s
from divio_sandbox.files import FileResponse, backup_file, receipt_bytes
from divio_sandbox.responses import json_response
from divio_sandbox.runtime import Runtime


def _info(runtime: Runtime) -> dict[str, Any]:
    knobs = runtime.knobs.as_dict()
    knobs["faults"] = list(knobs["faults"])
    return {
        "seed": runtime.store.seed,
        "clock": runtime.clock.mode,
        "now": s.iso(runtime.clock.now()),
        "settings": knobs,
    }


Handler = Callable[[Request], Awaitable[Response]]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def is_loopback(host: str) -> bool:
    """A ``Host`` name that only this machine answers to (no DNS-rebinding target)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def guarded(handler: Handler, *, changes_state: bool) -> Handler:
    """``handler``, answering only loopback ``Host`` names and, if it changes state, JSON."""

    async def guard(request: Request) -> Response:
        host = urlsplit("//" + request.headers.get("host", "")).hostname or ""
        if not is_loopback(host):
            return json_response({"detail": "control endpoints answer loopback hosts only"}, 403)
        media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if changes_state and media != "application/json":
            return json_response({"detail": "send Content-Type: application/json"}, 415)
        return await handler(request)

    return guard


async def _json(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.body() or b"{}", parse_constant=_refuse_constant)
    except ValueError as exc:
        raise ValueError(f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    return data


def _store_error(status: int, code: str, message: str) -> Response:
    """An error as object stores send them: XML with a ``Code``."""
    xml = f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}"
    return Response(f"{xml}</Message></Error>", status, media_type="application/xml")


#: The Blob service version the redirected download URLs name (``redirect_downloads``).
SAS_VERSION = "2020-04-08"


def download_signature(seed: int, download: str) -> str:
    """The signature a redirected download URL carries: shaped like an Azure SAS ``sig``
    (base64 of an HMAC-SHA256), made up from the seed and the download's id."""
    digest = hmac.new(f"sandbox-{seed}".encode(), download.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _refuse_upload(request: Request, handler: str | None, signature: str | None) -> Response | None:
    """The object store's refusal of an upload PUT, or ``None`` if it is acceptable.

    As real pre-signed URLs: the signature in the URL is the only credential (a request that
    also sends ``Authorization`` is refused), and an Azure SAS upload must say which kind of
    blob it writes (``x-ms-blob-type``), or Azure refuses it.
    """
    if "authorization" in request.headers:
        return _store_error(400, "InvalidArgument", "Only one auth mechanism allowed")
    query = request.query_params
    given = query.get("sig") if handler == "az-sas-v1" else query.get("X-Amz-Signature")
    if handler not in ("exo-presigned-v1", "az-sas-v1") or given != signature:
        return _store_error(403, "SignatureDoesNotMatch", "The signature does not match")
    if handler == "az-sas-v1" and request.headers.get("x-ms-blob-type") != "BlockBlob":
        return _store_error(400, "MissingRequiredHeader", "x-ms-blob-type is required")
    return None


def routes(runtime: Runtime) -> list[Route]:
    async def info(request: Request) -> Response:
        return json_response(_info(runtime))

    async def configure(request: Request) -> Response:
        try:
            runtime.knobs.update(**await _json(request))
        except (ValueError, TypeError) as exc:
            return json_response({"detail": str(exc)}, 400)
        return json_response(_info(runtime))

    async def clock(request: Request) -> Response:
        return json_response({"mode": runtime.clock.mode, "now": s.iso(runtime.clock.now())})

    async def advance(request: Request) -> Response:
        try:
            seconds = (await _json(request)).get("seconds")
            if isinstance(seconds, bool) or not isinstance(seconds, int | float):
                raise ValueError("seconds must be a number")
            runtime.clock.advance(float(seconds))
        except ValueError as exc:
            return json_response({"detail": str(exc)}, 400)
        return await clock(request)

    async def reset(request: Request) -> Response:
        runtime.reset()
        return json_response(_info(runtime))

    async def stats(request: Request) -> Response:
        return json_response(runtime.stats.snapshot())

    async def reset_stats(request: Request) -> Response:
        runtime.stats.reset()
        return json_response(runtime.stats.snapshot())

    async def download(request: Request) -> Response:
        item = runtime.store.backup_download_service_instances.get(request.path_params["uuid"])
        if item is None or item.errors or runtime.clock.now() < item.ready_at:
            return json_response({"detail": "Not found."}, 404)
        if "authorization" in request.headers:
            # As a pre-signed object-store URL does: the signature is the only credential.
            return json_response({"detail": "Only one auth mechanism allowed."}, 400)
        sib = runtime.store.service_instance_backups.rows[item.service_instance_backup]
        knobs = runtime.knobs
        signature = download_signature(runtime.store.seed, item.uuid)
        given = request.query_params.get("sig")
        if given is None and knobs.redirect_downloads:
            signed = request.url.include_query_params(sv=SAS_VERSION, sr="b", sp="r", sig=signature)
            return Response(status_code=302, headers={"location": str(signed)})
        if given is not None and given != signature:
            return _store_error(403, "AuthenticationFailed", "Signature did not match")
        cut = knobs.drop_downloads > 0 and request.method == "GET"
        if cut:
            knobs.drop_downloads -= 1
        file = backup_file(sib, knobs.download_size)
        return FileResponse(file, request.headers.get("range"), cut=cut)

    async def upload(request: Request) -> Response:
        sib = runtime.store.service_instance_backups.get(request.path_params["uuid"])
        if sib is None or sib.start_at is not None:  # not an upload, or already finished
            return json_response({"detail": "Not found."}, 404)
        refused = _refuse_upload(request, sib.upload_handler, sib.upload_signature)
        if refused is not None:
            return refused
        if runtime.knobs.reject_uploads > 0:
            runtime.knobs.reject_uploads -= 1
            return _store_error(403, "AccessDenied", "Request has expired")
        body = await request.body()
        if sib.upload_handler == "exo-presigned-v1":
            limit = runtime.knobs.upload_max_size or actions.MAX_UPLOAD_BYTES
            if len(body) > limit:
                return _store_error(400, "EntityTooLarge", "Your proposed upload is too large")
        sib.uploaded = body
        # Azure's Put Blob answers 201 Created; S3-like stores answer 200.
        return Response(status_code=201 if sib.upload_handler == "az-sas-v1" else 200)

    async def finish(request: Request) -> Response:
        sib = runtime.store.service_instance_backups.get(request.path_params["uuid"])
        if sib is None:
            return json_response({"detail": "Not found."}, 404)
        if "authorization" in request.headers:
            return json_response({"detail": "Only one auth mechanism allowed."}, 400)
        if request.query_params.get("signature") != sib.upload_signature:
            return json_response({"detail": "Invalid signature."}, 403)
        store = runtime.object_store
        if sib.upload_handler == "s3-sts-v1" and sib.uploaded is None and store is not None:
            sib.uploaded = await run_in_threadpool(store, actions.S3_BUCKET, actions.s3_key(sib))
        actions.finish_upload(sib, runtime.clock.now())
        return json_response({"uuid": sib.uuid})

    async def receipt(request: Request) -> Response:
        name = request.path_params["name"]
        invoice = runtime.store.invoices.get(name.removesuffix(".pdf"))
        if invoice is None:
            return json_response({"detail": "Not found."}, 404)
        content, media = receipt_bytes(invoice.number, name.endswith(".pdf"))
        return Response(content, media_type=media)

    def read(handler: Handler) -> Handler:
        return guarded(handler, changes_state=False)

    def change(handler: Handler) -> Handler:
        return guarded(handler, changes_state=True)

    return [
        Route("/_sandbox/", read(info), methods=["GET"]),
        Route("/_sandbox/configure", change(configure), methods=["POST"]),
        Route("/_sandbox/reset", change(reset), methods=["POST"]),
        Route("/_sandbox/clock", read(clock), methods=["GET"]),
        Route("/_sandbox/clock/advance", change(advance), methods=["POST"]),
        Route("/_sandbox/stats", read(stats), methods=["GET"]),
        Route("/_sandbox/stats/reset", change(reset_stats), methods=["POST"]),
        Route("/_sandbox/downloads/{uuid}", read(download), methods=["GET", "HEAD"]),
        # Uploads carry the backup file itself, as the real pre-signed upload URLs do.
        Route("/_sandbox/uploads/{uuid}/", read(upload), methods=["PUT"]),
        Route("/_sandbox/uploads/{uuid}/finish/", read(finish), methods=["POST"]),
        Route("/_sandbox/receipts/{name}", read(receipt), methods=["GET"]),
    ]
