"""One blueprint per way of setting a status; each URL prefix /demos/<name> is the module's name."""
