"""JSON Schemas shipped with pagelint; read them with `importlib.resources`."""
