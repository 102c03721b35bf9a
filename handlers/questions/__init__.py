"""Everything that waits for an answer: what we wait for and the one `ask`
(`asking`), what an answer does (`applying`), and the handlers that receive the answers
(`answers`). Onboarding, /time, /timezone and /settings only call these.
"""
