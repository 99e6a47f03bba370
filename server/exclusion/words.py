"""The words and pictures for exclusion answers and figures, one place for pages, the API's descriptions
and the summary alike. A picture beside each answer, for readers who read slowly or not at all."""

from server.i18n import N_

QUESTIONS = {
    "id_document": N_("Which identity card do you have?"),
    "welfare_card": N_("Do you have a state welfare card?"),
    "disability_card": N_("Do you have a disability card?"),
    "services_missed": N_("Which services could you not get?"),
    "reasons": N_("Why not?"),
    "area_code": N_("Where do you live?"),
}
ANSWERS = {
    "id_document": {"thai_id": ("🪪", N_("Thai ID card")), "pink_card": ("🩷", N_("Pink card (non-Thai resident)")),
                    "none": ("🚫", N_("No card")), "prefer_not": ("🤐", N_("I prefer not to say"))},
    "welfare_card": {"has": ("✅", N_("Yes, I have one")), "not": ("❌", N_("No, I don't have one")),
                     "dont_know": ("❓", N_("I don't know"))},
    "disability_card": {"has": ("♿", N_("Yes, I have one")),
                        "eligible_not_held": ("📝", N_("I have a disability, but no card")), "no": ("❌", N_("No, I don't have one"))},
    "services_missed": {"health": ("🏥", N_("Health care")), "school": ("📚", N_("School")),
                        "welfare": ("🤝", N_("Welfare money")), "water": ("💧", N_("Clean water")),
                        "electricity": ("💡", N_("Electricity")), "legal": ("⚖️", N_("Legal help"))},
    "reasons": {"language": ("🗣️", N_("Language")), "distance": ("🛶", N_("Too far")),
                "documents": ("📄", N_("No papers")), "cost": ("💰", N_("Costs too much")),
                "other": ("➕", N_("Something else"))},
}
FIGURES = {
    "answered": N_("People who answered"),
    "no_id": N_("No Thai ID card (pink card or none)"),
    "welfare_card": N_("Have a state welfare card"),
    "disability_unregistered": N_("Disabled, but no disability card"),
}
