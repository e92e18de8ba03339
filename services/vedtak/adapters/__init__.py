"""The vedtak service's adapters: what it needs from outside, behind its own ports."""
