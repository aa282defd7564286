"""Tools that write new story files: `norishiro new` and `norishiro from-issue`, with their templates.

May import norishiro.format and norishiro.check.
"""
