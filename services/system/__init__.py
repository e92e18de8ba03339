"""The composition root of the whole system: both services, one store, one process.

`bootstrap` wires the store, the event log, both services' applications and the projector;
`app` mounts both services' HTTP APIs and the web pages; `cli` is the `oppgjor` command.
Nothing inside `services/settlement` or `services/vedtak` imports from here.
"""
