"""The /status target and its neighbours for client testing: the view, its input parsing and schema, its
delay cap; sequences, faults, redirect chains and /anything."""
