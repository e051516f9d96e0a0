"""A first scenario for a new user: this machine against a cloud instance and an API.

Pure text generation (any thread). The scenario names the measured run, takes every cost
input it does not set from the catalogue defaults (so each shows its source), and marks
the demand figures as the user's to edit. The server and the cloud instance it prices
are not the machine that was measured, so both options say ``representative = true``:
the plan then shows that assumption as a warning instead of refusing the run. It is what
the app offers after a first profile, so that a plan exists within minutes of the first
launch.
"""

from __future__ import annotations

STARTER_ONPREM_HARDWARE = "Generic 1-socket CPU server"
STARTER_CLOUD = ("aws", "c7i.2xlarge", "us-east-1")
STARTER_API = ("generic", "hosted model endpoint")


def starter_scenario_toml(run_id: str, model_name: str, latency_target_ms: float) -> str:
    """Scenario TOML comparing the machine of ``run_id`` with a cloud CPU instance and an API.

    The cloud option assumes the instance serves as this machine measured (stated in its
    name); replace it with a run measured on that instance when you have one.
    """
    provider, instance, region = STARTER_CLOUD
    api_provider, api_product = STARTER_API
    return f"""# First plan for {model_name}: edit the demand to match yours.
# Every cost input not set here comes from the catalogue defaults, with its source.
name = "{model_name}: this machine, cloud and a managed API"
currency = "USD"
country = "OWID_WRL"

[demand]
average_rate = 20.0
peak_factor = 2.0
growth_per_year = 0.3
horizon_months = 36
latency_percentile = "p99"
latency_target_ms = {latency_target_ms:.6g}
price_per_1k = 1.0

[[options]]
kind = "on-prem"
name = "This machine, bought as a server"
runs = ["{run_id}"]
hardware = "{STARTER_ONPREM_HARDWARE}"
representative = true  # the measured machine stands for this server: measure yours

[[options]]
kind = "cloud"
name = "{instance} on demand (assumed to serve as this machine)"
runs = ["{run_id}"]
provider = "{provider}"
instance = "{instance}"
region = "{region}"
pricing = "on-demand"
scaling = "hourly"
representative = true  # assumed to serve as the measured machine

[[options]]
kind = "api"
name = "Managed endpoint"
provider = "{api_provider}"
product = "{api_product}"
"""
