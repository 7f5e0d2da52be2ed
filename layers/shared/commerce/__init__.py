"""The commerce package shared by every function: domain, use cases, adapters and API glue."""

import gc
import os

# A cold start makes a few hundred thousand objects that live as long as the process (modules, classes,
# validators) and frees almost none of them, so the collector's passes during init find nothing to free. On
# Lambda it is paused from the first import of this package until the handler is made
# (`commerce.observability.ready`), which freezes what init made, so later passes skip it, and resumes it.
PAUSED_COLLECTOR = os.environ.get("AWS_EXECUTION_ENV", "").startswith("AWS_Lambda_")
if PAUSED_COLLECTOR:
    gc.disable()
