"""safehome: home fall-risk and mobility safety for people living with bone metastases.

The package root stays light on purpose: importing ``safehome`` loads nothing heavy, so
``safehome --help`` starts fast. The domain core is ``models``, ``loader``, ``catalog``,
``scoring`` and ``example``; the faces are ``cli``, ``tui`` and ``pdf``.
"""

__version__ = "0.1.0"
