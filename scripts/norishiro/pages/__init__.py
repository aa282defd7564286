"""Site pages as pure functions of the normalised stories.

Every function here takes `Story` objects (and small context values) and
returns page text: Markdown with HTML blocks that we generate ourselves.  No
function reads files, the clock or MkDocs state, so the same stories always
give the same pages and the generator could move to another engine.
"""
