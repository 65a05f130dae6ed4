#!/usr/bin/env python3
# Reference material given to ankigen for issue 26 (shared/bench/floor_genanki.py), copied
# unchanged but for this note; the benchmark runs this copy, never the shared one.
"""Floor for an Anki-deck builder: plain Q/A text -> one .apkg, with as little work as possible.

Input: the plain file of gen_corpus.py ("Q: ...\\nA: ...\\n\\n", a record starts at a line
beginning with "Q: "; answers may span lines).  Trivial parser: split on "\\nQ: ", then on the
first "\\nA: ".  Fields are html.escape()d and newlines become <br> (no markdown rendering).
One model (Basic-like, Front/Back), one deck, note GUID = genanki.guid_for(question).
timestamp is fixed so the output is byte-for-byte reproducible.

Modes:
  --mode genanki  (default) genanki.Note objects + genanki.Package.write_to_file().
  --mode sqlite   lower floor: same rows written straight with sqlite3 (executemany) into an
                  empty Anki schema (genanki's own APKG_SCHEMA/APKG_COL strings, same col
                  JSON), to a temp file, then zipped exactly as genanki does (ZIP_STORED).
  --mode sqlite-mem  lowest floor: as sqlite, but the database is built in memory
                  (":memory:") and Connection.serialize() goes straight into the zip: no temp
                  file, no fsync.  (Python >= 3.11.)
                  FLOOR_KEEP_TMP=1 in the environment keeps the sqlite mode's temp file, as
                  genanki does (genanki never deletes it); unlinking it costs ~12 ms wall at 1k.
  --phases        print a JSON line on stderr with time.perf_counter() seconds per phase.
                  In genanki mode the write is then done step by step, mirroring
                  Package.write_to_file() (mkstemp, connect, write_to_db, commit, zip), so the
                  insert / commit / zip split can be seen; the output file is the same.

Usage: floor_genanki.py QA_TXT OUT_APKG [--mode genanki|sqlite|sqlite-mem] [--phases]
"""
import argparse
import html
import itertools
import json
import os
import sqlite3
import sys
import tempfile
import time
import zipfile

T0 = time.perf_counter()

import genanki  # noqa: E402
from genanki.apkg_col import APKG_COL  # noqa: E402
from genanki.apkg_schema import APKG_SCHEMA  # noqa: E402

MODEL_ID = 1607392319
DECK_ID = 2059400110
TIMESTAMP = 1_700_000_000.0


def parse(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    pairs = []
    for rec in text.split("\nQ: "):
        if rec.startswith("Q: "):
            rec = rec[3:]
        q, sep, a = rec.partition("\nA: ")
        if not sep:
            continue
        pairs.append((q.strip(), a.strip()))
    return pairs


def to_html(s):
    return html.escape(s, quote=False).replace("\n", "<br>")


def make_model_deck():
    model = genanki.Model(
        MODEL_ID, "Floor QA",
        fields=[{"name": "Question"}, {"name": "Answer"}],
        templates=[{
            "name": "Card 1",
            "qfmt": "{{Question}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}',
        }],
    )
    deck = genanki.Deck(DECK_ID, "Floor QA")
    return model, deck


def run_genanki(pairs, out, phases, ph):
    model, deck = make_model_deck()
    t = time.perf_counter()
    for q, a in pairs:
        deck.add_note(genanki.Note(model=model, fields=[to_html(q), to_html(a)],
                                   guid=genanki.guid_for(q)))
    ph["build_notes"] = time.perf_counter() - t
    pkg = genanki.Package(deck)
    if not phases:
        t = time.perf_counter()
        pkg.write_to_file(out, timestamp=TIMESTAMP)
        ph["write_to_file"] = time.perf_counter() - t
        return
    # Step-by-step copy of genanki.Package.write_to_file (genanki 0.13.1), timed.
    t = time.perf_counter()
    fd, dbname = tempfile.mkstemp()
    os.close(fd)
    conn = sqlite3.connect(dbname)
    cur = conn.cursor()
    id_gen = itertools.count(int(TIMESTAMP * 1000))
    t1 = time.perf_counter()
    cur.executescript(APKG_SCHEMA)
    cur.executescript(APKG_COL)
    t2 = time.perf_counter()
    # Deck.write_to_db, split: col JSON, then the per-note loop.
    for d in pkg.decks:
        _deck_col_json(cur, d, TIMESTAMP)
        t3 = time.perf_counter()
        for note in d.notes:
            note.write_to_db(cur, TIMESTAMP, d.deck_id, id_gen)
    t4 = time.perf_counter()
    conn.commit()
    conn.close()
    t5 = time.perf_counter()
    with zipfile.ZipFile(out, "w") as z:
        z.write(dbname, "collection.anki2")
        z.writestr("media", json.dumps({}))
    t6 = time.perf_counter()
    os.unlink(dbname)  # genanki leaves its temp file behind; we don't, untimed below
    ph.update({"w_open_db": t1 - t, "w_schema": t2 - t1, "w_col_json": t3 - t2,
               "w_notes_insert": t4 - t3, "w_commit_close": t5 - t4, "w_zip": t6 - t5})


def _deck_col_json(cursor, deck, timestamp):
    decks = json.loads(cursor.execute("SELECT decks FROM col").fetchone()[0])
    decks.update({str(deck.deck_id): deck.to_json()})
    cursor.execute("UPDATE col SET decks = ?", (json.dumps(decks),))
    models = json.loads(cursor.execute("SELECT models from col").fetchone()[0])
    for note in deck.notes:
        deck.add_model(note.model)
    models.update({m.model_id: m.to_json(timestamp, deck.deck_id) for m in deck.models.values()})
    cursor.execute("UPDATE col SET models = ?", (json.dumps(models),))


def run_sqlite(pairs, out, phases, ph, in_memory=False):
    model, deck = make_model_deck()
    deck.add_model(model)
    t = time.perf_counter()
    ts = int(TIMESTAMP)
    base = int(TIMESTAMP * 1000)
    notes = []
    cards = []
    for i, (q, a) in enumerate(pairs):
        nid = base + 2 * i
        hq = to_html(q)
        notes.append((nid, genanki.guid_for(q), MODEL_ID, ts, -1, "  ",
                      hq + "\x1f" + to_html(a), hq, 0, 0, ""))
        cards.append((nid + 1, nid, DECK_ID, 0, ts, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ""))
    t1 = time.perf_counter()
    if in_memory:
        dbname = ":memory:"
    else:
        fd, dbname = tempfile.mkstemp()
        os.close(fd)
    conn = sqlite3.connect(dbname)
    cur = conn.cursor()
    cur.executescript(APKG_SCHEMA)
    cur.executescript(APKG_COL)
    _deck_col_json(cur, deck, TIMESTAMP)
    t2 = time.perf_counter()
    cur.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", notes)
    cur.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
    t3 = time.perf_counter()
    conn.commit()
    if in_memory:
        image = conn.serialize()
    conn.close()
    t4 = time.perf_counter()
    with zipfile.ZipFile(out, "w") as z:
        if in_memory:
            z.writestr("collection.anki2", image)
        else:
            z.write(dbname, "collection.anki2")
        z.writestr("media", json.dumps({}))
    t5 = time.perf_counter()
    if not in_memory and not os.environ.get("FLOOR_KEEP_TMP"):
        os.unlink(dbname)
    ph.update({"build_rows": t1 - t, "w_open_db_schema_col": t2 - t1,
               "w_notes_insert": t3 - t2, "w_commit_close": t4 - t3, "w_zip": t5 - t4})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("qa_txt")
    ap.add_argument("out_apkg")
    ap.add_argument("--mode", choices=["genanki", "sqlite", "sqlite-mem"], default="genanki")
    ap.add_argument("--phases", action="store_true")
    args = ap.parse_args()

    ph = {"import": time.perf_counter() - T0}
    t = time.perf_counter()
    pairs = parse(args.qa_txt)
    ph["read_parse"] = time.perf_counter() - t
    if args.mode == "genanki":
        run_genanki(pairs, args.out_apkg, args.phases, ph)
    else:
        run_sqlite(pairs, args.out_apkg, args.phases, ph, in_memory=args.mode == "sqlite-mem")
    ph["total_in_process"] = time.perf_counter() - T0
    if args.phases:
        print(json.dumps({"mode": args.mode, "notes": len(pairs),
                          **{k: round(v, 4) for k, v in ph.items()}}), file=sys.stderr)


if __name__ == "__main__":
    main()
