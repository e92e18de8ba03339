"""Regelverk v1 as pure functions: facts known at T in, settlement out. No I/O here.

- fakta: the input facts (events with their Kilde, price table, funding basis)
- vedtakstilstand: one vedtak's events folded into value periods and fravær (4.1, 4.2)
- volum: counted days and volume per segment within a window (4.1-4.3)
- beregning: `beregn_kvartal`, the settlement with its lines (4.3a, 4.4, 4.5)
- rundsum: rundsum, inntektspåslag and uttrekk per quarter (4.5)
- revisjon, utfort_tid: `vedtatt_utfort`, decided vs delivered time (5)
- avrunding, kvartal, felt: exact rounding and display, quarter dates, payload fields
"""
