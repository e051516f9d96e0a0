"""planner: on-prem AI inference capacity planning from measurements.

Importing planner switches off ONNX Runtime's usage telemetry before any module can
import onnxruntime: without it, onnxruntime 1.32 writes a device id and a database under
``~/.cache/Microsoft`` at import and carries an HTTP client, and planner promises no
network use and no writes outside its own files. A user who sets the variable keeps
their value.
"""

from __future__ import annotations

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

__version__ = "0.1.0"
