"""Local stack: template.yaml deployed into moto, Lambda handlers run in-process, an HTTP API emulator."""
