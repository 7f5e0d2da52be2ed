"""Settings every test session needs before any module of the commerce package is imported.

`commerce.observability` creates the process's one Powertools Metrics and Logger at import, from the
environment. A unit test that imports it before a local stack has put the template's variables in place
would leave the metrics without a namespace for every function of every later stack in the session (their
handlers then fail to flush). So the template's Globals values are the defaults here.
"""

from __future__ import annotations

import os

os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "commerce")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Commerce")
