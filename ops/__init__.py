"""What production and the offline playground both run on, importing nothing of ours: the
Prometheus instruments (`ops.metrics`) and serving an ASGI app with Uvicorn (`ops.web`)."""
