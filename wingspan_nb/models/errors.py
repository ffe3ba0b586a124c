"""The seed document's ``errors`` module: the package's exception hierarchy (:mod:`wingspan_nb.errors`)."""

from ..errors import *  # noqa: F403
from ..errors import __all__ as __all__
