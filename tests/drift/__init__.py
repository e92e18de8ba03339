"""Operations: health, metrics, JSON logs with request ids, graceful shutdown."""
