"""The client tester's routes: the /status target (its parsing, schema and delay cap), sequences, faults,
redirect chains and /anything — what testing a client's failure handling needs."""
