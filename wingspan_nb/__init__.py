"""wingspan_nb: a typed, Jupyter-friendly client for the Wingspan payments API.

>>> s = wingspan_nb.Wingspan()                       # token from $WINGSPAN_API_TOKEN
>>> res = s.client_invoice.get(id="...")
>>> res.client_invoice.status
"""

from . import errors
from ._version import __version__
from .client import Wingspan, connect
from .display._options import get_options, set_options
from .models import UNSET, Unset
from .resources import EmptyUpdateWarning

__all__ = [
    "UNSET",
    "EmptyUpdateWarning",
    "Unset",
    "Wingspan",
    "__version__",
    "connect",
    "errors",
    "get_options",
    "set_options",
]
