"""Sparse derivatives: sparsity patterns, colourings and compressed seeding (issue 15)."""
