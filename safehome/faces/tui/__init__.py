"""The Textual app: screens in ``screens/``, styles in ``app.tcss``; domain rules stay in the core."""
