"""Regelverk v1 as pure functions: facts known at T in, settlement out. No I/O here."""
