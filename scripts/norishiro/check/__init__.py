"""The checker: reading story files, the rules (with stable ids), privacy, findings, whole collections.

May import norishiro.format only.
"""
