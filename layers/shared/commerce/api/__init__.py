"""HTTP glue: request and response models, and the one mapping from errors to responses."""
