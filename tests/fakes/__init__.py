"""In-memory fakes of the ports, one module per bounded context; each is held to the contract test of
the DynamoDB adapter it stands for (tests/integration/contracts)."""
