"""The black-box suites' one kit: where the service is, a bounded wait for it, free ports, the figures.

`host` needs nothing but the standard library (the bench and the scripts use it too); `health` and
`plugin` need httpx and pytest. Like the suites, nothing here imports from service/.
"""
