"""A deterministic synthetic corpus in the Q:/A: transcript format, for benchmarks.

Questions have 8-25 words; answers 40-200 words in 1-3 paragraphs, about 20% with inline
LaTeX, 20% with a bullet list and 15% with a fenced Python block.

    python benchmarks/corpus.py 10000 corpus-10k.txt
"""

from __future__ import annotations

import random
import sys

WORDS = """model training data gradient attention layer network loss function weight bias
embedding token sequence encoder decoder transformer feature vector matrix batch epoch
learning rate optimizer dropout regularization overfitting validation accuracy precision
recall probability distribution sample variance mean kernel convolution pooling recurrent
memory state hidden output input activation softmax sigmoid normalization residual
connection parameter hyperparameter inference latency throughput cluster tree forest
boosting margin support classifier regression label target metric score query key value
head position context window scale compute efficient robust sparse dense linear nonlinear
""".split()
FORMULAS = [r"$x_i^2 + y_i^2$", r"\(\frac{a}{b}\)", r"$\sqrt{d_k}$", r"\(\sum_{i=1}^{n} w_i x_i\)",
            r"$O(n^2)$", r"\(\sigma(z) = 1/(1+e^{-z})\)"]
CODE = ["def score(x, w):", "    total = 0", "    for xi, wi in zip(x, w):",
        "        total += xi * wi", "    return total"]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def pair(rng: random.Random, index: int) -> str:
    question = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25)))
    question = f"{question[0].upper()}{question[1:]} (item {index})?"
    total = rng.randint(40, 200)
    paragraphs = rng.randint(1, 3)
    parts = []
    for _ in range(paragraphs):
        words = total // paragraphs
        sentences = []
        while words > 0:
            n = min(words, rng.randint(6, 18))
            sentences.append(sentence(rng, n))
            words -= n
        parts.append(" ".join(sentences))
    roll = rng.random()
    if roll < 0.20:
        parts[0] += f" It uses {rng.choice(FORMULAS)} here."
    elif roll < 0.40:
        parts.append("\n".join(f"- {sentence(rng, rng.randint(3, 8))}" for _ in range(3)))
    elif roll < 0.55:
        parts.append("```python\n" + "\n".join(CODE) + "\n```")
    return f"Q: {question}\n\nA: " + "\n\n".join(parts) + "\n\n"


def corpus(pairs: int, seed: int = 42) -> str:
    rng = random.Random(seed)
    return "".join(pair(rng, i) for i in range(pairs))


if __name__ == "__main__":
    count, target = int(sys.argv[1]), sys.argv[2]
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(corpus(count))
