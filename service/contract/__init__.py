"""The contract: what each view declares (@documented(Reply(...))) and /openapi.json, built from it."""
