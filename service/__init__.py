"""A Flask service that shows, and proves over real HTTP, every correct way to set a status code."""
