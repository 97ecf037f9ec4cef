#!/usr/bin/env python3
"""Writes resources/demo/instructions.jsonl: a small Alpaca-style instruction set for the demo model.

The demo model (make_demo_model.py) was pretrained on template sentences about ten animals, their
legs and foods, colours, places and "x plus y is z". These instructions ask about the same world, so
a LoRA fine-tune on them can be seen to work within a minute. Standard library only; the same seed
gives the same file byte for byte.

    python3 resources/demo/make_instructions.py [--out PATH] [--seed N]
"""
import argparse
import json
import os
import random

# The demo world, as in make_demo_model.py.
ANIMALS = ["cat", "dog", "fox", "owl", "horse", "rabbit", "duck", "goat", "bear", "mouse"]
LEGS = {"cat": 4, "dog": 4, "fox": 4, "owl": 2, "horse": 4, "rabbit": 4, "duck": 2, "goat": 4,
        "bear": 4, "mouse": 4}
COLORS = ["red", "blue", "green", "yellow", "brown", "white", "black", "grey"]
PLACES = ["garden", "forest", "river", "hill", "field", "barn", "village", "lake"]
FOODS = {"cat": "fish", "dog": "bones", "fox": "berries", "owl": "mice", "horse": "hay",
         "rabbit": "carrots", "duck": "bread", "goat": "grass", "bear": "honey", "mouse": "cheese"}


def record(instruction, output, input_text=""):
    return {"instruction": instruction, "input": input_text, "output": output}


def make_records(rng):
    out = []
    for a in ANIMALS:  # legs: 20
        out.append(record(f"How many legs does a {a} have?", f"A {a} has {LEGS[a]} legs."))
        out.append(record("Complete the sentence.", f"A {a} has {LEGS[a]} legs.", f"A {a} has"))
    for a in ANIMALS:  # food: 30
        out.append(record(f"What does the {a} like to eat?", f"The {a} likes to eat {FOODS[a]}."))
        out.append(record("What does this animal like to eat?", f"The {a} likes to eat {FOODS[a]}.", a))
        out.append(record(f"Which animal likes to eat {FOODS[a]}?", f"The {a} likes to eat {FOODS[a]}."))
    sums = [(x, y) for x in range(10) for y in range(10)]
    rng.shuffle(sums)
    for x, y in sums[:80]:  # arithmetic: 80 questions, 30 with the numbers as input
        out.append(record(f"What is {x} plus {y}?", f"{x} plus {y} is {x + y}."))
    for x, y in sums[80:100] + sums[:10]:
        out.append(record("Add the two numbers.", f"{x} plus {y} is {x + y}.", f"{x} and {y}"))
    for _ in range(30):  # where: 30
        a, p, n = rng.choice(ANIMALS), rng.choice(PLACES), rng.randrange(2, 9)
        out.append(record("Where are the animals?", f"The {a}s are in the {p}.", f"There are {n} {a}s in the {p}."))
    for _ in range(20):  # counting: 20
        a, p, n = rng.choice(ANIMALS), rng.choice(PLACES), rng.randrange(2, 9)
        out.append(record(f"How many {a}s are in the {p}?", f"There are {n} {a}s in the {p}.",
                          f"There are {n} {a}s in the {p}."))
    for _ in range(20):  # friends: 20
        a, b = rng.sample(ANIMALS, 2)
        out.append(record(f"Who is the friend of the {a}?", f"The {a} and the {b} are friends.",
                          f"The {a} and the {b} are friends."))
    for _ in range(20):  # colours: 20
        a, c = rng.choice(ANIMALS), rng.choice(COLORS)
        out.append(record("What colour is the animal?", f"The {a} is {c}.", f"The {c} {a} waits by the {rng.choice(PLACES)}."))
    rng.shuffle(out)
    return out


def write_records(doc, default_name, default_seed, make):
    """The command line of the demo's data scripts: --out PATH, --seed N; writes make(rng) as JSONL."""
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, default_name))
    parser.add_argument("--seed", type=int, default=default_seed)
    args = parser.parse_args()
    records = make(random.Random(args.seed))
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} records to {args.out}")


def main():
    write_records(__doc__, "instructions.jsonl", 7, make_records)


if __name__ == "__main__":
    main()
