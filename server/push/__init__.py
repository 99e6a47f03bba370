"""Web Push: a member's phone is told, in a word, when something in their round changes."""
