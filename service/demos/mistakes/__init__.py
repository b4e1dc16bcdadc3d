"""Mistakes, each beside the right way: the tutorial's four routes and the common pitfalls."""
