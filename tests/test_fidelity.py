"""The traps of the real sources, each read by hand: where a careful reader puts the question
and its answer (first and last line), or that the source has no answer for it."""

from __future__ import annotations

import pytest

from ankigen.pipeline import Options, Pipeline
from ankigen.normalize import normalize_text
from ankigen.lexicon.questions import question_key
from ankigen.sources import read_lines

# (source file, start of the question as the card shows it, question line, answer lines)
# answer lines [] = the source has no answer: no card, reported as such
EXPECTED = [
    # Q:/A: transcript: a lead-in line then unbulleted "Label: text" lines are one answer
    ("transformer-model-qa.txt", "How would you deploy this transformer", 117, [119, 126]),
    # indexed page: three answers run together with no marker, split by what they are about
    ("deep-learning-q1-q44.txt", "You are using a deep neural network", 69, [70, 85]),
    ("deep-learning-q1-q44.txt", "Why should we use Batch Normalization?", 4, [86, 94]),
    ("deep-learning-q1-q44.txt", "How to know whether your model", 5, [95, 103]),
    ("deep-learning-q1-q44.txt", "Can you name and explain a few hyperparameters", 6, [105, 130]),
    # Unicode bold question, answered after a bare label; a stray repository link ends Q16
    ("deep-learning-q1-q44.txt", "How would you change a pre-trained neural network", 17, [199, 200]),
    ("deep-learning-q1-q44.txt", "How does L1/L2 regularization affect", 16, [191, 197]),
    # "Answer: The" is a fragment: no answer, and Q20 keeps its own
    ("deep-learning-q1-q44.txt", "What are the hyperparameters that can be optimized", 19, []),
    ("deep-learning-q1-q44.txt", "What is the effect of dropout", 207, [208, 208]),
    # the body's header wording wins over the index's
    ("deep-learning-q1-q44.txt", "What is transformer architecture, and why", 234, [235, 251]),
    ("deep-learning-q1-q44.txt", "What is self-attention, and how does it work", 25, []),
    # a run of three empty labels: the text after them answers the third
    ("deep-learning-q1-q44.txt", "Describe the process of generating text", 31, []),
    ("deep-learning-q1-q44.txt", "Explain the concept of transfer learning and how it can be applied",
     33, [332, 350]),
    ("deep-learning-q1-q44.txt", "What is computer vision, and why is it important?", 35, []),
    ("deep-learning-q1-q44.txt", "What is the purpose of data augmentation", 43, [363, 385]),
    ("deep-learning-q1-q44.txt", "Discuss some popular deep learning frameworks", 44, []),
    # doc blocks: a lost Main question is taken from the Explanation
    ("transformer-networks-guide.txt", "Provide examples of NLP tasks", 136, [150, 156]),
    ("transformer-networks-guide.txt", "What makes Transformers particularly effective", 140, [160, 160]),
    # follow-ups answered under paraphrased headings inside the main answer
    ("transformer-networks-guide.txt", "What advantages does parallel input processing", 59, [77, 78]),
    ("transformer-networks-guide.txt", "Can you discuss any limitations or challenges", 63, [87, 88]),
    # one renumbered list alternating follow-ups and their answers
    ("transformer-networks-guide.txt", "What specific features of Transformers allow", 296, [315, 317]),
    ("transformer-networks-guide.txt", "Can you cite any studies", 298, [321, 322]),
    ("transformer-networks-guide.txt", "Are there any known limitations", 300, [326, 327]),
    # follow-ups that appear only in the answer part, as bullets and as plain lines
    ("transformer-networks-guide.txt", "What role does learning rate scheduling play", 370, [372, 372]),
    ("transformer-networks-guide.txt", "Are there diminishing returns", 414, [416, 416]),
    # numbered lists: a table stays in its answer; the copied-twice formula line is dropped
    ("transformers-part-6.txt", "Compare and contrast GPT and BERT.", 94, [96, 102]),
    ("transformers-part-6.txt", "Why isn't simply increasing context length", 138, [140, 143]),
    # the page with a table of contents
    ("aman-ai-interview-questions.txt", "What are some drawbacks of the Transformer?", 268, [269, 280]),
    ("aman-ai-interview-questions.txt", "Explain how random seed initialization works", 3198, [3199, 3272]),
    ("aman-ai-interview-questions.txt", "What are alpha experiments for feature selection", 3389,
     [3390, 3430]),
    ("aman-ai-interview-questions.txt", "Dimensionality reduction techniques", 720, [721, 728]),
    ("aman-ai-interview-questions.txt", "What is Dummy Variable Trap in ML?", 2414, [2415, 2422]),
    ("aman-ai-interview-questions.txt", "What is the relationship between LDA and VAE", 3602,
     [3603, 3646]),
]


@pytest.fixture(scope="module")
def records(sources):
    scraped = {}
    for source in sources:
        result = Pipeline(Options(render=False)).run(source)
        scraped[source.path.rsplit("/", 1)[-1]] = result.cards + [r for r, _ in result.skipped]
    return scraped


@pytest.mark.parametrize("name, question, q_line, answer_lines", EXPECTED,
                         ids=[f"{e[0].split('.')[0]}:{e[2]}" for e in EXPECTED])
def test_question_and_answer_span(records, name, question, q_line, answer_lines):
    matches = [r for r in records[name] if r.question.startswith(question)]
    assert len(matches) == 1, [r.question for r in matches]
    record = matches[0]
    assert (record.q_line, record.answer_lines) == (q_line, answer_lines)
    assert bool(record.answer) == bool(answer_lines)


def test_remark_in_the_contents_is_reported_not_carded(records):
    remark = next(r for r in records["aman-ai-interview-questions.txt"]
                  if r.question.startswith("Data science /#MLinterview"))
    assert remark.skip == "remark, not a question"


def test_restarted_numbering_starts_a_new_set(records):
    sections = [r.section for r in records["transformers-part-6.txt"]]
    assert sections == ["Part 6, Set 1"] * 10 + ["Part 6, Set 2"] * 12


def test_every_question_is_written_on_its_question_line(records, sources):
    """No record's question is text that is not a question of the source."""
    for source in sources:
        lines = read_lines(source.path)
        for record in records[source.path.rsplit("/", 1)[-1]]:
            written = question_key(normalize_text(lines[record.q_line - 1], heading=True)[0])
            assert question_key(record.question) in written, (source.path, record.q_line)
