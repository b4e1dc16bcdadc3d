"""The client tester's /status target: its parsing, schema and delay cap, sequences and their attempt
log, faults on the wire, and the replay of identical answers."""
