"""Operations: request ids and JSON logs, Prometheus metrics, health and readiness.

Everything here watches the service from outside its domain: no module in it knows a
regelverk rule, and nothing it records is personal data (route templates, never raw paths).
"""
