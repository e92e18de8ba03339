"""The vedtak write model: one aggregate per vedtak and the regelverk 3 validation rules."""
