"""Limber's domain: the routine and its texts, schedule math, streaks, zones and time input,
what each screen shows and the buttons' data. Plain Python: it imports neither Telegram nor
SQL (lint enforces it, see `.importlinter`), so it is tested directly and fast."""
