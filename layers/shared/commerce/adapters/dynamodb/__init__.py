"""DynamoDB adapters over the one main table; keys and access patterns are in docs/data-model.md."""
