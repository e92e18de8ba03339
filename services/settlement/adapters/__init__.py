"""Adapters of the settlement service: the projector and the read-model queries."""
