"""Pictures beside words, for readers who read Thai slowly or not at all, and the words for keys."""

from server.i18n import N_

SECTORS = {
    "land_housing": "🏠", "legal_status": "🪪", "health": "🏥", "disability": "♿", "education": "📚",
    "fisheries": "🐟", "agriculture": "🌾", "work_income": "💼", "water": "💧", "welfare": "🤝",
    "natural_resources": "🌳", "culture": "🎭", "infrastructure": "🛣️",
}
# Each hazard and sector has a picture of its own (tests/web/test_participant_words.py): one picture for two of
# them would say they are the same thing.
HAZARDS = {
    "coastal": "🏖️", "storm": "🌀", "flood": "🌧️", "drought": "🏜️", "heat": "🌡️", "haze": "🌫️",
    "landslide": "⛰️", "marine": "🐠", "tsunami": "🌊",
}
VOTES = {"agree": "👍", "disagree": "👎", "pass": "🤷"}

# Words for what the code names with keys; marked here so that they are translated.
STATUS_NAMES = {"consensus": N_("Consensus"), "contested": N_("Contested"), "under_heard": N_("Still to be heard")}
STANCE_NAMES = {"support": N_("Support"), "oppose": N_("Oppose"), "question": N_("Question"), "amend": N_("Change it")}

# A commitment's status and a member's check of delivery, always shown with their words beside them.
COMMITMENT_ICONS = {"pending": "⏳", "accepted": "🤝", "in_progress": "🚧", "done": "✅", "rejected": "⛔"}
CHECK_ICONS = {"delivered": "👍", "partly": "🤏", "not_delivered": "👎"}

# A clause's status in the outcome, beside its words: agreed, disagreed, some groups not heard yet.
OUTCOME_ICONS = {"consensus": "✅", "contested": "⚖️", "under_heard": "👂"}
# What is new in a round since a member's last visit (a commitment's line takes its status's picture).
NEWS_ICONS = {"draft": "📄", "clause": "➕", "changed": "🔄", "amendment": "✏️", "answered": "🎯", "comments": "💬",
              "published": "📢"}
