"""Site pages as pure functions of the checked stories: story pages, browse pages, the key reference.

May import norishiro.format and norishiro.check; no function reads files, the clock or MkDocs state.
"""
