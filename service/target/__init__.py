"""The /status target: the view, its input parsing and schema, its delay cap."""
