"""Settlement use cases: publish, compute as known at T, issue, pay, lock, audit."""
