"""Redirects: chains of n hops ending on /get in each form a Location takes, and /redirect-to, never open.

/redirect/<n> (its status, form and loop options) lives in service/tester/redirect_chain.py.
"""
