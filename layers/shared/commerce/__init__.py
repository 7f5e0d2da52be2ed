"""The commerce package shared by every function: domain, use cases, adapters and API glue."""
