"""quotegraph: who said what, when, where - and who says otherwise.

The stages, in the order data flows through them::

    ingest -> nlp -> extract -> store -> corpus passes -> serve (cli, api, web)

The Python API starts at ``quotegraph.open(path)``.
"""

from quotegraph.core import Quotegraph, open
from quotegraph.errors import QuotegraphError

__all__ = ["Quotegraph", "QuotegraphError", "__version__", "open"]
__version__ = "0.1.0"
