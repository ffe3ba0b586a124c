"""wingspan_nb: a typed, Jupyter-friendly client for the Wingspan payments API."""

from ._version import __version__
from .models import UNSET

__all__ = ["UNSET", "__version__"]
