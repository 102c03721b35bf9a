"""The Mini App: a hands-free session in Telegram's web view, served by the bot's own web
server under /app/ (the page, its pictures and a small JSON API on the same storage and rules
as the chat). See docs/ARCHITECTURE.md, "The Mini App"."""
