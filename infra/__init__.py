"""The source of the root template.yaml: infra/stack.yaml, expanded by infra/template.py."""
