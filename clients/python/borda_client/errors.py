"""Errors of the Borda client.

Every error the API answers has the body ``{"code", "message", "details"}``; :class:`BordaError`
carries the three (and the HTTP status) so a script can branch on ``code`` as the labeler app does.
Problems found before or without an answer (a refused connection, a timeout while waiting) use the
same class with client-side codes, so one ``except BordaError`` is enough.
"""

from typing import Any, Dict, List, Optional

# Client-side codes: the API never sends these.
CONNECTION_FAILED = "CONNECTION_FAILED"
BAD_RESPONSE = "BAD_RESPONSE"
TIMEOUT = "TIMEOUT"
CAMPAIGN_HALTED = "CAMPAIGN_HALTED"
INVALID_ARGUMENT = "INVALID_ARGUMENT"


class BordaError(Exception):
    """An error answered by the API (``status`` set) or found by the client (``status`` None)."""

    def __init__(
        self,
        code: str,
        message: str,
        details: Any = None,
        status: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.status = status

    @property
    def line_errors(self) -> List[Dict[str, Any]]:
        """The per-line problems of a refused import (``details.errors``), else an empty list."""
        if isinstance(self.details, dict) and isinstance(self.details.get("errors"), list):
            return self.details["errors"]
        return []

    def __str__(self) -> str:
        head = self.code if self.status is None else "%s (HTTP %d)" % (self.code, self.status)
        text = "%s: %s" % (head, self.message)
        lines = self.line_errors
        for error in lines[:20]:
            text += "\n  " + format_line_error(error)
        if len(lines) > 20:
            text += "\n  … %d more" % (len(lines) - 20)
        return text

    def __repr__(self) -> str:
        return "BordaError(code=%r, status=%r, message=%r)" % (self.code, self.status, self.message)


class BordaTimeout(BordaError, TimeoutError):
    """:meth:`BordaClient.wait_until` gave up: the condition did not hold in time."""

    def __init__(self, message: str, details: Any = None) -> None:
        BordaError.__init__(self, TIMEOUT, message, details)


def format_line_error(error: Dict[str, Any]) -> str:
    """``line 3, responses: a prompt needs at least 2 responses to compare [INVALID_FIELD]``."""
    where = "line %s" % error.get("line", "?")
    if error.get("path"):
        where += ", %s" % error["path"]
    text = "%s: %s" % (where, error.get("message", ""))
    if error.get("code"):
        text += " [%s]" % error["code"]
    return text
