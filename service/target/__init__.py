"""The /status target and its neighbours for client testing: sequences, faults, redirect chains, /anything."""
