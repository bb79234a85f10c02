"""safehome: home fall-risk and mobility safety for people living with bone metastases.

The package root stays light on purpose: importing ``safehome`` loads nothing heavy, so
``safehome --help`` starts fast. The folders are the layers, from the bottom up: ``i18n`` (the
words), ``core`` (the checklists, the answer kinds, scoring, the plan), ``storage`` (the laptop's
store), ``sync``, ``exchange`` (FHIR) and ``reports`` (the PDFs), ``service`` (the verbs), and
``faces`` (the CLI, the terminal app, the web face). import-linter holds the layers.
"""

__version__ = "0.1.0"
