"""The Borda HTTP client: standard library only (urllib, json, gzip), Python 3.8+.

Uploads and downloads are streamed: an import sends the file in blocks as it reads it (a ``.gz``
file is decompressed on the way), an export is written to disk block by block, so neither holds a
whole file in memory.
"""

import gzip
import json
import os
import tempfile
import time
import uuid
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Union

from .errors import (
    BAD_RESPONSE,
    CAMPAIGN_HALTED,
    CONNECTION_FAILED,
    INVALID_ARGUMENT,
    BordaError,
    BordaTimeout,
)

# The API's lists (EXPORT_FORMATS, EXPORT_FILES and IMPORT_FORMATS in libs/api-contract).
EXPORT_FORMATS = ("raw", "trl", "trl-conversational", "openai", "kto", "best-of-n")
EXPORT_FILES = ("jsonl", "parquet")
IMPORT_FORMATS = ("auto", "borda", "ultrafeedback", "hh-rlhf", "binarized", "openai-chat", "plain")
JSONL_CONTENT_TYPE = "application/x-ndjson"
BLOCK = 64 * 1024

Progress = Callable[[int, Optional[int]], None]
"""Called with (bytes so far, total bytes or None when unknown)."""

PathLike = Union[str, "os.PathLike[str]"]


class _CountingReader:
    """A file-like body for http.client: reads blocks from ``source`` and reports the bytes read."""

    def __init__(self, source: Any, total: Optional[int], progress_of: Callable[[], int], on_progress: Optional[Progress]):
        self._source = source
        self._total = total
        self._progress_of = progress_of
        self._on_progress = on_progress

    def read(self, size: int = BLOCK) -> bytes:
        block = self._source.read(size if size and size > 0 else BLOCK)
        if self._on_progress is not None:
            self._on_progress(self._progress_of(), self._total)
        return block


class BordaClient:
    """A session with one Borda API.

    ``token`` is an API token (``borda_…``, from ``POST /auth/tokens`` or the console) or a session
    token from :meth:`login`. Every method raises :class:`BordaError` for an error answer.
    """

    def __init__(self, base_url: str, token: Optional[str] = None, timeout: float = 60.0) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise BordaError(INVALID_ARGUMENT, "base_url must start with http:// or https:// (got %r)" % base_url)
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_env(cls, environ: Optional[Dict[str, str]] = None) -> "BordaClient":
        """``BORDA_URL`` (default http://127.0.0.1:3000) and ``BORDA_TOKEN``."""
        env = os.environ if environ is None else environ
        return cls(env.get("BORDA_URL", "http://127.0.0.1:3000"), env.get("BORDA_TOKEN") or None)

    # ---- HTTP ----

    def _url(self, path: str, query: Optional[Dict[str, Any]] = None) -> str:
        url = self.base_url + path
        params = {k: _query_value(v) for k, v in (query or {}).items() if v is not None}
        return url + ("?" + urllib.parse.urlencode(params) if params else "")

    def _open(
        self,
        method: str,
        path: str,
        query: Optional[Dict[str, Any]] = None,
        body: Any = None,
        headers: Optional[Dict[str, str]] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        all_headers = {"Accept": "application/json", "Accept-Encoding": "gzip, identity"}
        all_headers.update(headers or {})
        if self.token:
            all_headers["Authorization"] = "Bearer " + self.token
        data = body
        if body is not None and not hasattr(body, "read") and not isinstance(body, bytes):
            data = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        elif body is None and method in ("POST", "PUT", "PATCH"):
            data, all_headers["Content-Type"] = b"{}", "application/json"
        request = urllib.request.Request(self._url(path, query), data=data, headers=all_headers, method=method)
        try:
            return urllib.request.urlopen(request, timeout=timeout or self.timeout)
        except urllib.error.HTTPError as error:
            raise _error_from(error.code, _read_all(error)) from None
        except urllib.error.URLError as error:
            raise BordaError(CONNECTION_FAILED, "cannot reach %s: %s" % (self.base_url, error.reason)) from None
        except OSError as error:  # a reset while sending, a socket timeout
            raise BordaError(CONNECTION_FAILED, "%s %s failed: %s" % (method, path, error)) from None

    def request(self, method: str, path: str, query: Optional[Dict[str, Any]] = None, body: Any = None) -> Any:
        """One JSON request; returns the parsed body (None for 204)."""
        with self._open(method, path, query, body) as response:
            text = _read_all(response)
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise BordaError(BAD_RESPONSE, "%s %s answered something that is not JSON" % (method, path)) from None

    # ---- auth ----

    def login(self, email: str, password: str) -> Dict[str, Any]:
        """Signs in and uses the session token from now on; returns ``{accessToken, expiresIn, user}``."""
        session = self.request("POST", "/auth/login", body={"email": email, "password": password})
        self.token = session["accessToken"]
        return session

    def me(self) -> Dict[str, Any]:
        return self.request("GET", "/auth/me")

    def create_token(self, name: str, expires_in_days: Optional[int] = None) -> Dict[str, Any]:
        """A long-lived API token for scripts (``token`` is shown only in this answer)."""
        body = {"name": name}  # type: Dict[str, Any]
        if expires_in_days is not None:
            body["expiresInDays"] = expires_in_days
        return self.request("POST", "/auth/tokens", body=body)

    # ---- campaigns ----

    def create_campaign(self, **settings: Any) -> Dict[str, Any]:
        """``create_campaign(name="…", budget=500, strategy="ae-borda", labelerIds=[…])``: the API's own
        field names (see ``createCampaignSchema``); unknown fields are refused with VALIDATION_FAILED."""
        return self.request("POST", "/campaigns", body=settings)

    def campaigns(self) -> List[Dict[str, Any]]:
        return self.request("GET", "/campaigns")

    def campaign(self, campaign_id: str) -> Dict[str, Any]:
        return self.request("GET", "/campaigns/%s" % _segment(campaign_id))

    def update_campaign(self, campaign_id: str, **changes: Any) -> Dict[str, Any]:
        return self.request("PATCH", "/campaigns/%s" % _segment(campaign_id), body=changes)

    def set_labelers(self, campaign_id: str, labeler_ids: Iterable[str]) -> Any:
        return self.request("PUT", "/campaigns/%s/labelers" % _segment(campaign_id), body={"labelerIds": list(labeler_ids)})

    def _transition(self, campaign_id: str, name: str) -> Dict[str, Any]:
        return self.request("POST", "/campaigns/%s/%s" % (_segment(campaign_id), name))

    def start(self, campaign_id: str) -> Dict[str, Any]:
        return self._transition(campaign_id, "start")

    def pause(self, campaign_id: str) -> Dict[str, Any]:
        return self._transition(campaign_id, "pause")

    def resume(self, campaign_id: str) -> Dict[str, Any]:
        return self._transition(campaign_id, "resume")

    def complete(self, campaign_id: str) -> Dict[str, Any]:
        return self._transition(campaign_id, "complete")

    def retrain(self, campaign_id: str) -> Dict[str, Any]:
        return self._transition(campaign_id, "retrain")

    def import_file(
        self,
        campaign_id: str,
        path: PathLike,
        dry_run: bool = False,
        format: str = "auto",
        judgments: bool = True,
        as_gold: bool = False,
        on_progress: Optional[Progress] = None,
    ) -> Dict[str, Any]:
        """Streams a JSONL, gzipped JSONL or Parquet file (told apart by its first bytes, as the API
        does) to the import route. ``format`` is the row format (``auto``: detected by the API from the
        first row; or one of IMPORT_FORMATS); ``judgments=False`` leaves out the preferences the rows
        carry, ``as_gold=True`` also stores them as gold answers.

        A dry run returns the report ``{valid, errors: [{line, path, code, message}], …}`` (200 even when
        lines are bad); a real import returns ``{importId, promptCount, …}`` or raises BordaError
        IMPORT_INVALID whose ``line_errors`` name every bad line (nothing is imported then).
        ``on_progress(bytes_read, file_size)`` follows the file as it is sent.
        """
        if format not in IMPORT_FORMATS:
            raise BordaError(INVALID_ARGUMENT, "format must be one of %s (got %r)" % (", ".join(IMPORT_FORMATS), format))
        if as_gold and not judgments:
            raise BordaError(INVALID_ARGUMENT, "as_gold needs the judgments (judgments=True)")
        size = os.path.getsize(path)
        query = {}  # type: Dict[str, Any]
        if dry_run:
            query["dryRun"] = True
        if format != "auto":
            query["format"] = format
        if not judgments:
            query["judgments"] = False
        if as_gold:
            query["asGold"] = True
        raw = open(path, "rb")
        try:
            # gzip and Parquet go as they are: the API decompresses and reads them itself.
            headers = {"Content-Type": _content_type_of(raw, str(path)), "Content-Length": str(size)}
            body = _CountingReader(raw, size, raw.tell, on_progress)
            url_path = "/campaigns/%s/imports" % _segment(campaign_id)
            # The API answers once the last line is checked (and written): a big file takes a while.
            with self._open(
                "POST", url_path, query or None, body, headers, timeout=max(self.timeout, 3600.0)
            ) as response:
                return json.loads(_read_all(response))
        finally:
            raw.close()

    def import_lines(self, campaign_id: str, lines: Iterable[Dict[str, Any]], dry_run: bool = False) -> Dict[str, Any]:
        """Imports prompt objects (``{"id", "prompt", "responses"}``) already in memory."""
        payload = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")
        headers = {"Content-Type": JSONL_CONTENT_TYPE}
        query = {"dryRun": "true"} if dry_run else None
        with self._open("POST", "/campaigns/%s/imports" % _segment(campaign_id), query, payload, headers) as response:
            return json.loads(_read_all(response))

    def prompts(self, campaign_id: str, page_size: int = 200) -> Iterator[Dict[str, Any]]:
        """Every imported prompt with its responses (ids included), page by page."""
        cursor = None  # type: Optional[str]
        while True:
            page = self.request(
                "GET", "/campaigns/%s/prompts" % _segment(campaign_id), {"limit": page_size, "cursor": cursor}
            )
            for item in page["items"]:
                yield item
            cursor = page.get("nextCursor")
            if cursor is None:
                return

    def jobs(self, campaign_id: str, limit: int = 100) -> List[Dict[str, Any]]:
        """The campaign's learning jobs, newest first: ``{name, state, attempts, error, …}`` (why a fit is late)."""
        return self.request("GET", "/campaigns/%s/jobs" % _segment(campaign_id), {"limit": limit})

    # ---- progress ----

    def status(self, campaign_id: str) -> Dict[str, Any]:
        """The campaign as the console shows it: status, labelCount, budget, budgetUsed, counts, haltedReason."""
        return self.campaign(campaign_id)

    def progress(self, campaign_id: str) -> Dict[str, Any]:
        """A compact view: status, labels, budget, prompts, open/complete comparisons, newest model version."""
        campaign = self.campaign(campaign_id)
        counts = campaign.get("counts") or {}
        latest = self.models(campaign_id, limit=1)["items"]
        return {
            "status": campaign["status"],
            "labels": campaign["labelCount"],
            "budget": campaign["budget"],
            "budgetUsed": campaign["budgetUsed"],
            "prompts": campaign["promptCount"],
            "comparisons": counts.get("comparisons"),
            "modelVersion": latest[0]["version"] if latest else None,
            "haltedReason": campaign.get("haltedReason"),
        }

    def wait_until(
        self,
        campaign_id: str,
        predicate: Optional[Callable[[Dict[str, Any]], bool]] = None,
        labels: Optional[int] = None,
        model_version: Optional[int] = None,
        timeout: float = 600.0,
        interval: float = 2.0,
        on_progress: Optional[Callable[[Dict[str, Any]], None]] = None,
    ) -> Dict[str, Any]:
        """Polls :meth:`progress` until ``predicate(progress)`` holds, the campaign has ``labels`` labels
        and/or a reward model of version ≥ ``model_version``. Raises BordaTimeout after ``timeout``
        seconds, and BordaError CAMPAIGN_HALTED when a learning job halted the campaign."""
        if predicate is None and labels is None and model_version is None:
            raise BordaError(INVALID_ARGUMENT, "wait_until needs a predicate, labels or model_version")
        deadline = time.monotonic() + timeout
        while True:
            state = self.progress(campaign_id)
            if on_progress is not None:
                on_progress(state)
            done = (
                (predicate is None or predicate(state))
                and (labels is None or state["labels"] >= labels)
                and (model_version is None or (state["modelVersion"] or 0) >= model_version)
            )
            if done:
                return state
            if state.get("haltedReason"):
                raise BordaError(CAMPAIGN_HALTED, "the campaign was halted: %s" % state["haltedReason"], state)
            if time.monotonic() >= deadline:
                raise BordaTimeout("gave up after %.0f s waiting on campaign %s" % (timeout, campaign_id), state)
            time.sleep(max(0.0, min(interval, deadline - time.monotonic())))

    # ---- models and policy ----

    def models(self, campaign_id: str, limit: int = 100, cursor: Optional[int] = None) -> Dict[str, Any]:
        """A page of reward-model versions, newest first: ``{items: [{version, kind, labelCount, metrics, gap}], nextCursor}``."""
        return self.request("GET", "/campaigns/%s/models" % _segment(campaign_id), {"limit": limit, "cursor": cursor})

    def model(self, campaign_id: str, version: int, include_parameters: bool = False) -> Dict[str, Any]:
        query = {"includeParameters": include_parameters}
        return self.request("GET", "/campaigns/%s/models/%d" % (_segment(campaign_id), version), query)

    def certificate(self, campaign_id: str) -> Dict[str, Any]:
        return self.request("GET", "/campaigns/%s/certificate" % _segment(campaign_id))

    def policy(
        self, campaign_id: str, sort: str = "prompt", limit: int = 50, cursor: Optional[str] = None
    ) -> Dict[str, Any]:
        """One page of the newest policy: ``{policy: {version, summary, …}, items: [{promptId, picks, …}], nextCursor}``.
        Raises BordaError NO_MODEL_YET (409) before the first fit."""
        query = {"sort": sort, "limit": limit, "cursor": cursor}
        return self.request("GET", "/campaigns/%s/policy" % _segment(campaign_id), query)

    def policy_entries(self, campaign_id: str, sort: str = "prompt", page_size: int = 200) -> Iterator[Dict[str, Any]]:
        """Every entry of the newest policy, page by page."""
        cursor = None  # type: Optional[str]
        while True:
            page = self.policy(campaign_id, sort=sort, limit=page_size, cursor=cursor)
            for item in page["items"]:
                yield item
            cursor = page.get("nextCursor")
            if cursor is None:
                return

    # ---- exports ----

    def export(
        self,
        campaign_id: str,
        format: str,
        path: PathLike,
        on_progress: Optional[Progress] = None,
        file: str = "jsonl",
        **options: Any,
    ) -> Dict[str, Any]:
        """Streams an export to ``path`` (written beside it, then renamed: a failed download leaves no
        half file). ``file="parquet"`` downloads Parquet instead of JSONL. Options are the route's
        query: ``aggregate="majority"``, ``margin=True`` (trl), ``models=True``, ``policy="soft"``
        (best-of-n). Returns ``{path, bytes, lines}`` (lines of JSONL; 0 for Parquet)."""
        if format not in EXPORT_FORMATS:
            raise BordaError(INVALID_ARGUMENT, "format must be one of %s (got %r)" % (", ".join(EXPORT_FORMATS), format))
        if file not in EXPORT_FILES:
            raise BordaError(INVALID_ARGUMENT, "file must be one of %s (got %r)" % (", ".join(EXPORT_FILES), file))
        if file != "jsonl":
            options = dict(options, file=file)
        return self._download("/campaigns/%s/exports/%s" % (_segment(campaign_id), format), path, options, on_progress,
                              count_lines=file == "jsonl")

    def dataset_card(self, campaign_id: str, format: str = "raw", path: Optional[PathLike] = None, **options: Any) -> str:
        """The dataset card (README.md) of the export ``format`` with these options (``file``,
        ``aggregate``, ``margin``, ``models``, ``policy``); also written to ``path`` when given."""
        if format not in EXPORT_FORMATS:
            raise BordaError(INVALID_ARGUMENT, "format must be one of %s (got %r)" % (", ".join(EXPORT_FORMATS), format))
        url_path = "/campaigns/%s/exports/card" % _segment(campaign_id)
        with self._open("GET", url_path, dict(options, format=format), headers={"Accept": "text/markdown"}) as response:
            text = _read_all(response)
        if path is not None:
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
        return text

    def _download(
        self, url_path: str, path: PathLike, options: Dict[str, Any], on_progress: Optional[Progress], count_lines: bool
    ) -> Dict[str, Any]:
        target = os.path.abspath(os.fspath(path))
        with self._open("GET", url_path, options, headers={"Accept": "*/*"}) as response:
            stream = _decoded(response)
            total = _content_length(response)
            handle, partial = tempfile.mkstemp(prefix=".borda-export-", dir=os.path.dirname(target))
            received = lines = 0
            try:
                with os.fdopen(handle, "wb") as out:
                    while True:
                        block = stream.read(BLOCK)
                        if not block:
                            break
                        out.write(block)
                        received += len(block)
                        if count_lines:
                            lines += block.count(b"\n")
                        if on_progress is not None:
                            on_progress(received, total)
                os.replace(partial, target)
            except BaseException:
                os.unlink(partial)
                raise
        return {"path": target, "bytes": received, "lines": lines}

    def iter_export(self, campaign_id: str, format: str, **options: Any) -> Iterator[Dict[str, Any]]:
        """The export's lines, parsed one at a time as they arrive."""
        if format not in EXPORT_FORMATS:
            raise BordaError(INVALID_ARGUMENT, "format must be one of %s (got %r)" % (", ".join(EXPORT_FORMATS), format))
        url_path = "/campaigns/%s/exports/%s" % (_segment(campaign_id), format)
        with self._open("GET", url_path, options, headers={"Accept": "application/x-ndjson"}) as response:
            for line in _decoded(response):
                if line.strip():
                    yield json.loads(line)

    # ---- labeling (labeler tokens) ----

    def next_comparison(self, campaign_id: str, holding: Iterable[str] = ()) -> Optional[Dict[str, Any]]:
        """Leases the next comparison: ``{id, prompt, left, right, expiresAt}`` (``id`` is the assignment),
        or None when there is none to take now (``request("POST", "/campaigns/<id>/next")`` says why)."""
        answer = self.request("POST", "/campaigns/%s/next" % _segment(campaign_id), body={"holding": list(holding)})
        return answer.get("assignment")

    def heartbeat(self, assignment_id: str) -> Dict[str, Any]:
        return self.request("POST", "/assignments/%s/heartbeat" % _segment(assignment_id))

    def submit(
        self,
        assignment_id: str,
        choice: str,
        strength: Optional[int] = None,
        rationale: Optional[str] = None,
        time_taken_ms: Optional[int] = None,
        idempotency_key: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Judges a leased comparison: choice ``A`` (left), ``B`` (right), ``tie`` or ``both_bad``."""
        body = {"choice": choice, "idempotencyKey": idempotency_key or str(uuid.uuid4())}  # type: Dict[str, Any]
        if strength is not None:
            body["strength"] = strength
        if rationale is not None:
            body["rationale"] = rationale
        if time_taken_ms is not None:
            body["timeTakenMs"] = time_taken_ms
        return self.request("POST", "/assignments/%s/submit" % _segment(assignment_id), body=body)

    def skip(self, assignment_id: str, reason: str, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        body = {"reason": reason, "idempotencyKey": idempotency_key or str(uuid.uuid4())}
        return self.request("POST", "/assignments/%s/skip" % _segment(assignment_id), body=body)


def _segment(value: str) -> str:
    return urllib.parse.quote(str(value), safe="")


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _content_type_of(handle: Any, path: str) -> str:
    """The Content-Type of an import body from its first bytes (the API reads the container from them)."""
    head = handle.read(4)
    handle.seek(0)
    if head[:2] == b"\x1f\x8b":
        return "application/gzip"
    if head == b"PAR1":
        return "application/vnd.apache.parquet"
    return "text/plain" if path.endswith(".txt") else JSONL_CONTENT_TYPE


def _decoded(response: Any) -> Any:
    """The body as a stream of bytes, gunzipped when the server compressed it."""
    if (response.headers.get("Content-Encoding") or "").lower() == "gzip":
        return gzip.GzipFile(fileobj=response, mode="rb")
    return response


def _content_length(response: Any) -> Optional[int]:
    value = response.headers.get("Content-Length")
    if value is None or (response.headers.get("Content-Encoding") or "").lower() == "gzip":
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _read_all(response: Any) -> str:
    return _decoded(response).read().decode("utf-8", "replace")


def _error_from(status: int, text: str) -> BordaError:
    """``{code, message, details}`` → BordaError; a body that is not one (a proxy's page) keeps its text."""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("code"), str) and isinstance(body.get("message"), str):
        return BordaError(body["code"], body["message"], body.get("details"), status)
    return BordaError(BAD_RESPONSE, "HTTP %d: %s" % (status, text[:500].strip() or "no body"), None, status)
