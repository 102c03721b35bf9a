"""The offline playground: a fake Telegram Bot API server (`fake_telegram`, served by
`server.serve`) that the real bot talks to over HTTP, with a control API to act as users."""
