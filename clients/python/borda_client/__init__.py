"""Borda's Python client: create campaigns, import prompts, watch labeling, read policies and
download preference exports from a Borda API. Standard library only."""

from .client import EXPORT_FILES, EXPORT_FORMATS, IMPORT_FORMATS, BordaClient
from .errors import BordaError, BordaTimeout

__all__ = ["BordaClient", "BordaError", "BordaTimeout", "EXPORT_FILES", "EXPORT_FORMATS", "IMPORT_FORMATS"]
__version__ = "0.1.0"
