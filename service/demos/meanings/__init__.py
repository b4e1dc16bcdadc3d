"""What statuses mean: redirects, 2xx promises, conditional requests and the 4xx a request earns."""
