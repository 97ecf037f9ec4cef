#!/usr/bin/env python3
"""Writes resources/demo/preferences.jsonl: preference pairs for the demo model (DPO).

The same small world as make_instructions.py (animals, their legs and foods, sums), asked the same
way, each question with a right answer (chosen) and a worse one (rejected): half of them a refusal
("I do not know."), a preference the model can learn for every question, the other half a wrong
fact (a wrong number of legs, another animal's food, a sum off by one or two), which it can only
learn pair by pair. In LLaMA-Factory's Alpaca ranking layout
(instruction, input, chosen, rejected), which the demo's Alpaca template renders like the
instruction data. Standard library only; the same seed gives the same file byte for byte.

    python3 resources/demo/make_preferences.py [--out PATH] [--seed N]
"""
from make_instructions import ANIMALS, FOODS, LEGS, write_records


def pair(instruction, chosen, rejected, input_text=""):
    return {"instruction": instruction, "input": input_text, "chosen": chosen, "rejected": rejected}


def make_pairs(rng):
    out = []
    for a in ANIMALS:
        wrong = 2 if LEGS[a] == 4 else 4
        out.append(pair(f"How many legs does a {a} have?", f"A {a} has {LEGS[a]} legs.", f"A {a} has {wrong} legs."))
        out.append(pair("Complete the sentence.", f"A {a} has {LEGS[a]} legs.", f"A {a} has {wrong} legs.", f"A {a} has"))
    for a in ANIMALS:
        other = rng.choice([x for x in ANIMALS if FOODS[x] != FOODS[a]])
        out.append(pair(f"What does the {a} like to eat?", f"The {a} likes to eat {FOODS[a]}.",
                        f"The {a} likes to eat {FOODS[other]}."))
        out.append(pair(f"Which animal likes to eat {FOODS[a]}?", f"The {a} likes to eat {FOODS[a]}.",
                        f"The {other} likes to eat {FOODS[a]}."))
    sums = [(x, y) for x in range(10) for y in range(10)]
    rng.shuffle(sums)
    for x, y in sums[:100]:
        off = rng.choice([-2, -1, 1, 2]) if x + y > 1 else rng.choice([1, 2])
        out.append(pair(f"What is {x} plus {y}?", f"{x} plus {y} is {x + y}.", f"{x} plus {y} is {x + y + off}."))
    for i, p in enumerate(out):  # every other pair: the refusal instead of the wrong fact
        if i % 2 == 1:
            p["rejected"] = "I do not know."
    rng.shuffle(out)
    return out


def main():
    write_records(__doc__, "preferences.jsonl", 11, make_pairs)


if __name__ == "__main__":
    main()
