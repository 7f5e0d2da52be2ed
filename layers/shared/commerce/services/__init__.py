"""Use cases: one function per thing a shopper, a merchant or a job does."""
