"""ankigen: scraped interview-question pages in, Anki decks that update in place out.

The pipeline, one module per stage, each taking and giving ``Record`` lists:

1. ``scrape``    - detect each source's format and parse it into records (question,
                   answer, section, line span, follow-ups), accounting for every line;
2. ``normalize`` - repair encoding damage, Unicode look-alikes and scrape artifacts;
3. ``tag``       - hierarchical Anki tags;
4. ``render``    - Markdown, LaTeX and code into sanitized card HTML;
5. ``package``   - one .apkg per source with stable GUIDs and a fixed note type.

``ankigen.build`` chains them; ``ankigen.cli`` is a thin click layer over it.
"""

__version__ = "0.1.0"
