"""The floor: the least work that turns a Q:/A: file into an .apkg with genanki alone.

Split on Q:/A:, HTML-escape, one note per pair, write_to_file.

    python benchmarks/floor.py corpus.txt out.apkg
"""

import html
import re
import sys

import genanki

MODEL = genanki.Model(1607392319, "Floor", fields=[{"name": "Q"}, {"name": "A"}],
                      templates=[{"name": "Card 1", "qfmt": "{{Q}}", "afmt": "{{A}}"}])

text = open(sys.argv[1], encoding="utf-8").read()
deck = genanki.Deck(2059400110, "Floor")
for question, answer in re.findall(r"^Q: (.*?)\n\s*A: (.*?)(?=^Q: |\Z)", text, re.M | re.S):
    deck.add_note(genanki.Note(model=MODEL, fields=[html.escape(question), html.escape(answer.strip())]))
genanki.Package(deck).write_to_file(sys.argv[2])
