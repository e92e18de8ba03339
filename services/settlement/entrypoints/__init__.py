"""Ways in: the HTTP API, the web pages and the command line."""
