"""The OpenAPI description of each feature's endpoints, one module per API module."""
