"""What a line is: the project's one definition of each concept the stages judge text by.

The ground floor: any stage may import it, it imports no stage. Its phrase and word lists
are data in ``vocabulary.toml``, each entry with the committed page or test excerpt that
needs it; the modules hold the predicates and patterns built on them:

- ``marks``: bullets, fences and the end of a sentence;
- ``questions``: whether a line asks, and the key two questions are compared by;
- ``titles``: headings, title lines and Title Case;
- ``chrome``: page furniture (menus, share bars, footers) and the headings of non-content;
- ``stubs``: answers that are no answer (placeholders, paywalls, fragments);
- ``code``: whether a line is code;
- ``words``: content words, and words a sentence cannot end on.
"""
