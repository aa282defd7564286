"""The one definition of the story format: keys, vocabularies, dates, the story object, URLs, the JSON Schema.

May import nothing else from norishiro; every other stage reads the format from here.
"""
